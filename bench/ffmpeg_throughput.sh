#!/usr/bin/env bash
# Headless throughput of Conveyor beside FFmpeg doing the same work: the Sobel
# gradient magnitude of the luma plane of a 720p H.264 clip (300 frames,
# libx264), once to a null sink and once to an MPEG-4 Part 2 (mp4v) file, on
# 2 threads. Then the peak memory (/usr/bin/time -v) of a 1,000-frame and a
# 10,000- and a 20,000-frame run, which must not grow with the number of frames.
#
#   BUILD_DIR  a Release build holding src/conveyor (default: build)
#   CONVEYOR   the conveyor executable to time (default: $BUILD_DIR/src/conveyor)
#   WORK       scratch folder for the clip, pipelines and outputs
#              (default: $BUILD_DIR/ffmpeg-bench)
#   RUNS       rounds of the four timed commands; medians are reported (default: 5)
#   MEMORY     0 skips the peak-memory runs (default: 1)
#
# Every timing is the wall clock of the whole command (start-up, demuxing,
# decoding, filtering, encoding, finalising), as a user would see it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${BUILD_DIR:-$root/build}"
work="${WORK:-$build/ffmpeg-bench}"
runs="${RUNS:-5}"
conveyor="${CONVEYOR:-$build/src/conveyor}"
[[ -x "$conveyor" ]] || { echo "error: $conveyor not found; build Release first (./run.sh does)" >&2; exit 2; }
mkdir -p "$work"
clip="$work/clip_720p_h264.mp4"

if [[ ! -s "$clip" ]]; then
  # testsrc2 moves, has gradients, text and fine detail: edges everywhere.
  ffmpeg -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=30 -frames:v 300 \
    -c:v libx264 -preset medium -pix_fmt yuv420p "$clip"
fi

write_pipeline() {  # $1 = file, $2 = sink mapping, $3 = frames, $4 = loop
  cat >"$1" <<EOF
name: ffmpeg_comparison
source: { type: file, path: $clip, color: gray, loop: $4 }
stages:
  - name: edges
    bank:
      - { name: gx, kernel: sobel_x }
      - { name: gy, kernel: sobel_y }
    combine: { op: magnitude }
    post: { normalize: abs_scale, scale: 0.5 }
sinks:
  - $2
runtime: { threads: 2, mode: throughput, max_in_flight: 4 }
metrics: { report: $work/report_$3.json }
EOF
}
write_pipeline "$work/to_null.yaml" "{ type: null }" 300 false
write_pipeline "$work/to_file.yaml" "{ type: file, path: $work/conveyor_out.mp4 }" 300 false

seconds() {  # runs "$@" once, prints its wall time in seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/last_stderr" || { cat "$work/last_stderr" >&2; return 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ff_null_cmd=(ffmpeg -nostdin -loglevel error -threads 2 -i "$clip" -filter_threads 2
  -vf sobel=planes=1 -f null -)
ff_file_cmd=(ffmpeg -nostdin -loglevel error -y -threads 2 -i "$clip" -filter_threads 2
  -vf sobel=planes=1 -c:v mpeg4 "$work/ffmpeg_out.mp4")
frames=300
report() {  # $1 label, $2 seconds
  awk -v l="$1" -v s="$2" -v n=$frames \
    'BEGIN {printf "%-34s %7.3f s  %6.2f ms/frame  %6.1f fps\n", l, s, 1000*s/n, n/s}'
}

echo "load before: $(uptime)"
echo "clip: $clip ($frames frames, 1280x720, H.264); $runs rounds, medians"
# The four commands take turns in every round, so a change in the machine's
# load touches all of them alike.
: >"$work/times.txt"
for ((i = 0; i < runs; i++)); do
  echo "ff_null $(seconds "${ff_null_cmd[@]}")" >>"$work/times.txt"
  echo "ours_null $(seconds "$conveyor" run "$work/to_null.yaml" --quiet)" >>"$work/times.txt"
  echo "ff_file $(seconds "${ff_file_cmd[@]}")" >>"$work/times.txt"
  echo "ours_file $(seconds "$conveyor" run "$work/to_file.yaml" --quiet)" >>"$work/times.txt"
done
pick() { awk -v k="$1" '$1 == k {print $2}' "$work/times.txt" | median; }
ff_null=$(pick ff_null)
ours_null=$(pick ours_null)
ff_file=$(pick ff_file)
ours_file=$(pick ours_file)
# Start-up (loading the libraries, opening the clip, the first frame) is a
# fixed cost per command; measured apart so the per-frame rates can be read.
ours_start=$(for ((i = 0; i < runs; i++)); do
  seconds "$conveyor" run "$work/to_null.yaml" --quiet --frames 1; done | median)
ff_start=$(for ((i = 0; i < runs; i++)); do
  seconds ffmpeg -nostdin -loglevel error -threads 2 -i "$clip" -frames:v 1 -filter_threads 2 \
    -vf sobel=planes=1 -f null -; done | median)
echo "load after: $(uptime)"
echo
report "ffmpeg sobel -> null" "$ff_null"
report "conveyor sobel magnitude -> null" "$ours_null"
report "ffmpeg sobel -> mpeg4 file" "$ff_file"
report "conveyor sobel magnitude -> mp4v" "$ours_file"
awk -v a="$ff_null" -v b="$ours_null" -v c="$ff_file" -v d="$ours_file" 'BEGIN {
  printf "speed-up vs ffmpeg: null %.2fx (target >= 1.3x), file %.2fx (target >= 1.0x)\n", a/b, c/d }'
awk -v os="$ours_start" -v fs="$ff_start" -v a="$ff_null" -v b="$ours_null" -v c="$ff_file" \
  -v d="$ours_file" -v n=$frames 'BEGIN {
  printf "start-up and first frame: conveyor %.3f s, ffmpeg %.3f s\n", os, fs
  printf "after start-up, per frame: null %.2fx, file %.2fx\n", (a-fs)/(b-os), (c-fs)/(d-os) }'
written=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
  -of csv=p=0 "$work/conveyor_out.mp4")
echo "frames in conveyor_out.mp4: $written"

[[ "${MEMORY:-1}" == 0 ]] && exit 0
echo
echo "peak memory (maximum resident set size), looping the clip:"
for n in 1000 10000 20000; do
  write_pipeline "$work/long_$n.yaml" "{ type: null }" "$n" true
  /usr/bin/time -v "$conveyor" run "$work/long_$n.yaml" --frames "$n" --quiet \
    2>"$work/time_$n.txt" >/dev/null
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time_$n.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time_$n.txt")
  printf '  %5d frames: %7d KiB peak RSS, wall %s\n' "$n" "$rss" "$wall"
done
