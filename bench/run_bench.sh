#!/usr/bin/env bash
# Builds conveyor_bench in Release and runs every benchmark once, ours and
# OpenCV in the same run, 5 repetitions each; prints the median times, then
# the ours-vs-OpenCV table (bench/ratios.py). Extra arguments go to the
# benchmark binary, e.g. --benchmark_filter=bank6.
#
#   BUILD_DIR  build directory (default: build-bench in the repository)
#   JOBS       parallel compile jobs (default: 2)
#   OUT        JSON report (default: $BUILD_DIR/bench.json)
#
# The timings are only as good as the machine is quiet: the load average is
# printed before the run and recorded in the report's context.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${BUILD_DIR:-$root/build-bench}"
jobs="${JOBS:-2}"
out="${OUT:-$build/bench.json}"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$jobs" --target conveyor_bench

echo "load before the run: $(uptime)"
"$build/bench/conveyor_bench" \
  --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true \
  --benchmark_out="$out" --benchmark_out_format=json \
  "$@" | grep -E '_median|^Benchmark|^---'
echo "load after the run: $(uptime)"
echo
python3 "$here/ratios.py" "$out"
