#!/usr/bin/env bash
# Whole-process timings of hipaa-synth at scale: the healthcare stack, 200 x 50 and 2,000 x 50
# resources, each target, written with -o; median wall time of N runs, and peak RSS (GNU time).
# A measurement for docs/performance.md, never a test:
#   bench/scale.sh [build/hipaa-synth] [runs]
#
# Three cases per workload:
# - "stdout": the main documents to standard output (here /dev/null);
# - "-o fresh": each run writes a new directory (a CI job on a clean checkout);
# - "-o again": each run rewrites the directory the previous run wrote, from the same app (the
#   edit, synthesize, review loop; unchanged files are left alone).
#
# Nothing is deleted until every run is done. On ext4 without a journal (this VM's work disk) the
# inode allocator skips, one by one, inodes freed in the last one to six minutes; deleting the
# previous run's 8,000 files right before a run made each file creation cost about 0.8 ms instead
# of 0.05 ms (perf: 60% of the time in ext4's recently_deleted). For the same reason, start this
# script on a disk where nothing big was deleted in the last six minutes (a build that replaced
# many objects, a test suite's temporary trees, an earlier run of this script).
set -euo pipefail
binary=$(realpath "${1:-build/hipaa-synth}")
runs=${2:-5}
out=$(mktemp -d "${TMPDIR:-/tmp}/hipaa-synth-scale.XXXXXX")
trap 'rm -rf "$out"' EXIT
serial=0

timed_run() {  # prints microseconds; arguments: output directory ("-": stdout), then hipaa-synth arguments
  local dir=$1
  shift
  local output=(-o "$dir")
  [[ $dir == - ]] && output=()
  sync  # no write-back of earlier runs in flight while timing
  # EPOCHREALTIME, not $(date): starting a date process would add a millisecond or two.
  local start end
  start=${EPOCHREALTIME/./}
  "$binary" "$@" "${output[@]}" >/dev/null 2>&1
  end=${EPOCHREALTIME/./}
  echo $((end - start))
}

median() { sort -n | sed -n "$(((runs + 1) / 2))p"; }

measure() {  # label, then hipaa-synth arguments
  local label=$1
  shift
  local stdout=() fresh=() again=() dir
  for ((i = 0; i < runs; i++)); do
    dir="$out/run$((serial++))"
    stdout+=("$(timed_run - "$@")")
    fresh+=("$(timed_run "$dir" "$@")")
    again+=("$(timed_run "$dir" "$@")")
  done
  local rss
  /usr/bin/time -o "$out/rss" -f "%M" "$binary" "$@" -o "$out/run$((serial++))" >/dev/null 2>&1
  rss=$(tail -1 "$out/rss")
  awk -v l="$label" -v s="$(printf '%s\n' "${stdout[@]}" | median)" -v f="$(printf '%s\n' "${fresh[@]}" | median)" \
    -v a="$(printf '%s\n' "${again[@]}" | median)" -v kb="$rss" \
    'BEGIN { printf "%-34s stdout %7.1f ms  -o fresh %7.1f ms  -o again %7.1f ms  peak RSS %6.1f MiB\n",
                    l, s / 1000, f / 1000, a / 1000, kb / 1024 }'
}

for target in cfn tf; do
  measure "healthcare stack, $target" --target "$target"
  measure "200 stacks x 50 resources, $target" bench-app --stacks 200 --resources-per-stack 50 --target "$target"
  measure "2000 stacks x 50 resources, $target" bench-app --stacks 2000 --resources-per-stack 50 --target "$target"
done
