#!/usr/bin/env bash
# Times whole hipaa-synth processes synthesizing the healthcare stack (median of N runs) and
# reports peak RSS. A measurement, not a test: run it by hand on a Release build.
#   bench/healthcare-cli.sh [build/hipaa-synth] [runs]
set -euo pipefail
binary=${1:-build/hipaa-synth}
runs=${2:-21}
for target in cfn tf; do
  python3 - "$binary" "$target" "$runs" <<'PY'
import subprocess, sys, time
binary, target, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run([binary, "--target", target], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times.append(time.perf_counter() - start)
times.sort()
# GNU time measures the exec'd process itself (getrusage would count the forked Python too).
measured = subprocess.run(["/usr/bin/time", "-f", "%M", binary, "--target", target],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
peak_kb = int(measured.stderr.strip().splitlines()[-1])
print(f"{target}: median {times[len(times)//2]*1000:.2f} ms over {runs} runs, peak RSS {peak_kb/1024:.1f} MiB")
PY
done
