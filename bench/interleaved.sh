#!/usr/bin/env bash
# Before/after speed check: runs bench/ffmpeg_throughput.sh (one sample per
# round) and the engine benchmark (conveyor_bench, the main bank-vs-OpenCV
# rows) on two builds in turn, for ROUNDS rounds, then prints for every metric
# the median of each side, the ratio after/before and the spread (min..max) of
# each side, which is the machine's noise. The order alternates every round
# (before, after; then after, before) so a drift of the machine's speed touches
# both sides alike.
#
#   bench/interleaved.sh BEFORE_BUILD AFTER_BUILD [ROUNDS]   (ROUNDS default 5)
#
# Each build is a Release tree configured with -DCONVEYOR_BUILD_BENCH=ON and
# holding src/conveyor and bench/conveyor_bench. Passing the same build twice
# measures the noise alone.
#
#   LOGS          folder for every round's output (default: interleaved-<date> here)
#   BENCH_FILTER  regex of the benchmarks to run (default: the rows below)
#   BENCH_REPS    repetitions per benchmark and round; their median is the sample (default: 1)
#
# Per round and side: LOGS/round<N>_<side>_throughput.log, _bench.log, _bench.json
# and _metrics.tsv (the samples); the summary is LOGS/summary.txt.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ $# -ge 2 && $# -le 3 ]] || { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
rounds="${3:-5}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "error: ROUNDS '$rounds': expected a count >= 1" >&2; exit 2; }
declare -A build
for side in before after; do
  dir="$1"
  [[ $side == after ]] && dir="$2"
  build[$side]="$(cd "$dir" && pwd)"
  for exe in src/conveyor bench/conveyor_bench; do
    [[ -x "${build[$side]}/$exe" ]] ||
      { echo "error: ${build[$side]}/$exe missing (configure with -DCONVEYOR_BUILD_BENCH=ON)" >&2; exit 2; }
  done
done

# The main rows of the README's speed table: the six-map bank (f32 and u8, 1
# and 2 threads) against OpenCV, dense 3x3 and 7x7, the fused Sobel magnitude,
# and the memory-bandwidth floor of the bank's writes.
default_filter='^(bank6/1280x720/(f32|u8)/t2/(ours|opencv_parallel)|bank6/1280x720/f32/t1/(ours|opencv)'
default_filter+='|single/dense(3|7)/f32/t2/ours|single/dense(3|7)/f32/t1/opencv'
default_filter+='|sobel_magnitude/1280x720/u8/t2/(ours|opencv_halves)|floor/stream6maps/1280x720/t2/floor)/'
filter="${BENCH_FILTER:-$default_filter}"
reps="${BENCH_REPS:-1}"
logs="${LOGS:-interleaved-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$logs"
logs="$(cd "$logs" && pwd)"

one_side() {  # $1 = round, $2 = side
  local prefix="$logs/round${1}_${2}" b="${build[$2]}"
  local load
  load="$(cut -d' ' -f1 /proc/loadavg)"
  echo "round $1, $2 ($b): load $load"
  BUILD_DIR="$b" CONVEYOR="$b/src/conveyor" WORK="$logs/work" RUNS=1 MEMORY=0 \
    bash "$here/ffmpeg_throughput.sh" >"${prefix}_throughput.log" 2>&1 ||
    { cat "${prefix}_throughput.log" >&2; exit 1; }
  "$b/bench/conveyor_bench" --benchmark_filter="$filter" --benchmark_repetitions="$reps" \
    --benchmark_out="${prefix}_bench.json" --benchmark_out_format=json >"${prefix}_bench.log" 2>&1
  {
    awk '/^(ffmpeg|conveyor) .* s  / {
           split($0, p, /  +/); sub(/ s$/, "", p[2]); print "run: " p[1] "\t" p[2] * 1000 "\tms" }
         /^start-up and first frame/ {
           print "run: conveyor start-up\t" $6 * 1000 "\tms"
           print "run: ffmpeg start-up\t" $9 * 1000 "\tms" }' \
      "${prefix}_throughput.log"
    python3 "$here/interleaved_summary.py" --bench-tsv "${prefix}_bench.json"
    printf 'load: 1-minute load average at the start\t%s\t-\n' "$load"
  } >"${prefix}_metrics.tsv"
}

for ((r = 1; r <= rounds; ++r)); do
  if ((r % 2)); then order=(before after); else order=(after before); fi
  for side in "${order[@]}"; do one_side "$r" "$side"; done
done
python3 "$here/interleaved_summary.py" "$logs" | tee "$logs/summary.txt"
echo "logs: $logs"
