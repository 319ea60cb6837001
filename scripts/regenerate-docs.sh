#!/usr/bin/env bash
# Regenerates the reference pages generated from the code's own tables: docs/rules.md,
# docs/diagnostics.md and the node table of docs/resources.md. Review the diff like code; never
# edit the generated parts by hand (tests fail when they drift).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/hipaa-synth}
"$binary" rules --format markdown > docs/rules.md
"$binary" codes --format markdown > docs/diagnostics.md
table=$("$binary" nodes --format markdown)
python3 - "$table" <<'PY'
import sys
path = "docs/resources.md"
begin, end = "<!-- BEGIN generated: hipaa-synth nodes --format markdown -->\n", "<!-- END generated -->"
text = open(path).read()
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(path, "w").write(head + begin + sys.argv[1] + "\n" + end + tail)
PY
echo "regenerated docs/rules.md, docs/diagnostics.md, docs/resources.md (node table)"
