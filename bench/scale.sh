#!/usr/bin/env bash
# Whole-process timings of hipaa-synth at scale: the healthcare stack, 200 x 50 and 2,000 x 50
# resources, each target, written with -o; median wall time of N runs, and peak RSS (GNU time).
# A measurement for docs/performance.md, never a test. Run on an idle machine:
#   bench/scale.sh [build/hipaa-synth] [runs]
set -euo pipefail
binary=$(realpath "${1:-build/hipaa-synth}")
runs=${2:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

measure() {  # label, then hipaa-synth arguments
  local label=$1
  shift
  local times=()
  for ((i = 0; i < runs; i++)); do
    # A fresh directory each run, and no write-back or deletion of earlier runs in flight: on
    # these VMs deleting 10,000 files (discard) or flushing 60 MB while timing doubles the time.
    rm -rf "$out"/o*
    sync
    local start end
    start=$(date +%s%N)
    "$binary" "$@" -o "$out/o$i" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=("$(((end - start) / 1000))")
  done
  local median rss
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
  rm -rf "$out"/o*
  /usr/bin/time -o "$out/rss" -f "%M" "$binary" "$@" -o "$out/o" >/dev/null 2>&1
  rss=$(tail -1 "$out/rss")
  awk -v l="$label" -v us="$median" -v kb="$rss" \
    'BEGIN { printf "%-40s median %9.1f ms   peak RSS %7.1f MiB\n", l, us / 1000, kb / 1024 }'
}

for target in cfn tf; do
  measure "healthcare stack, $target" --target "$target"
  measure "200 stacks x 50 resources, $target" bench-app --stacks 200 --resources-per-stack 50 --target "$target"
  measure "2000 stacks x 50 resources, $target" bench-app --stacks 2000 --resources-per-stack 50 --target "$target"
done
