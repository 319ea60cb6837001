#!/usr/bin/env bash
# The main job: install what is missing, build, and print the healthcare stack's CloudFormation
# template. Extra arguments go to hipaa-synth (e.g. --target tf).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >&2
if (( $# == 0 )); then set -- --target cfn; fi
exec build/hipaa-synth "$@"
