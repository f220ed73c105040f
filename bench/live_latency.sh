#!/usr/bin/env bash
# Live latency under Xvfb: a paced 720p test pattern through Sobel magnitude
# to a display window, on 2 threads, measured from capture to "the frame is
# on screen". Two runs:
#   nominal:    30 fps, Sobel magnitude (gx, gy fused)
#   overloaded: 60 fps, a bank of seven kernels (Sobel x, y and five dense
#               21x21 detectors); frames the pipeline cannot take are
#               overwritten in the latest-frame slot (live_overwrite)
# For each: p50/p99 end to end, and p50/p99 of end to end minus the display
# call (the sink time: handing the frame to the GUI thread until it is shown),
# the drops by reason, and decoded = written + dropped. The overloaded run
# also leaves a latency plot and a screenshot of the window showing the mosaic
# of all its feature maps.
#
#   BUILD_DIR  a Release build holding src/conveyor (default: build)
#   OUT        output folder (default: $BUILD_DIR/live-latency)
#   SECONDS_PER_RUN  length of each run (default: 10)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${BUILD_DIR:-$root/build}"
out="${OUT:-$build/live-latency}"
run_seconds="${SECONDS_PER_RUN:-10}"
conveyor="$build/src/conveyor"
[[ -x "$conveyor" ]] || { echo "error: $conveyor not found; build Release first (./run.sh does)" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "error: xvfb-run not found (apt-get install xvfb)" >&2; exit 2; }
mkdir -p "$out"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"  # Qt asks for one

write_pipeline() {  # $1 name, $2 fps, $3 bank YAML lines, $4 post step
  cat >"$out/$1.yaml" <<EOF
name: $1
source: { type: testpattern, width: 1280, height: 720, fps: $2, frames: $(($2 * run_seconds)), pace: realtime, color: gray }
stages:
  - name: edges
    bank:
$3
    combine: { op: magnitude, inputs: [gx, gy] }
    post: $4
sinks:
  - { type: display, title: Conveyor $1, overlay: [fps, latency, drops, frame] }
runtime: { threads: 2, mode: latency, max_drop_ratio: 1 }
metrics: { report: $out/$1.json, trace: $out/$1.csv }
EOF
}

sobel='      - { name: gx, kernel: sobel_x }
      - { name: gy, kernel: sobel_y }'
# Sobel x and y plus five custom 21x21 feature detectors (fixed random 0/1
# matrices: dense, not separable), enough work that at 60 fps the stage and
# the display together take longer than a frame period.
detectors=$(python3 -c '
import random
random.seed(7)
for d in range(1, 6):
    rows = [[random.randint(0, 1) for _ in range(21)] for _ in range(21)]
    print("      - { name: detector%d, weights: %s }" % (d, rows))')
seven="$sobel
$detectors"
write_pipeline nominal 30 "$sobel" "{ normalize: abs_scale, scale: 0.5 }"
# min-max per map: a 21x21 detector's sums are far beyond 8 bits.
write_pipeline overloaded 60 "$seven" "{ normalize: minmax }"

run_live() {  # $1 name
  xvfb-run -a -s "-screen 0 1400x900x24" "$conveyor" run "$out/$1.yaml" --quiet
}

# A separate short run for the picture, so the screenshot and the mosaic
# (key m: every feature map, labelled) do not weigh on the measured runs.
screenshot() {  # $1 name, $2 keys to press first
  xvfb-run -a -s "-screen 0 1400x900x24" bash -c "
    '$conveyor' run '$out/$1.yaml' --quiet --set metrics.report= --set metrics.trace= & pid=\$!
    sleep 3
    [[ -n '$2' ]] && xdotool mousemove 10 10 key $2 && sleep 1
    import -window root -crop 1280x720+0+0 '$out/$1_screen.png' 2>/dev/null || true
    kill -INT \$pid; wait \$pid || true"
}

summarize() {  # $1 name, $2 fps
  python3 - "$out/$1.json" "$out/$1.csv" "$2" <<'EOF'
import csv, json, math, sys
report = json.load(open(sys.argv[1]))
rows = [r for r in csv.DictReader(open(sys.argv[2])) if r["outcome"] == "written"]
def pct(values, p):  # nearest rank, as the report
    values = sorted(values)
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]
e2e = [float(r["end_to_end_ms"]) for r in rows]
beyond = [float(r["end_to_end_ms"]) - float(r["sink_ms"]) for r in rows]
sink = [float(r["sink_ms"]) for r in rows]
compute = [float(r["edges_compute_ms"]) for r in rows]
f = report["frames"]
drops = {k: v for k, v in report["drops"].items() if v}
print(f"  {report['pipeline']}: {f['written']} shown at {report['fps']:.1f} fps; "
      f"decoded {f['decoded']} = written {f['written']} + dropped {f['dropped']} "
      f"({'balanced' if f['balanced'] else 'NOT balanced'}); drops {drops or 'none'}")
print(f"    end to end        p50 {pct(e2e, 50):6.2f} ms  p99 {pct(e2e, 99):6.2f} ms  max {max(e2e):6.2f} ms")
print(f"    display call      p50 {pct(sink, 50):6.2f} ms  p99 {pct(sink, 99):6.2f} ms")
print(f"    beyond display    p50 {pct(beyond, 50):6.2f} ms  p99 {pct(beyond, 99):6.2f} ms  (target p99 <= 5 ms)")
print(f"    stage compute     p50 {pct(compute, 50):6.2f} ms  p99 {pct(compute, 99):6.2f} ms")
bound = 2 * 1000 / float(sys.argv[3]) + pct(compute, 99)
print(f"    p99 beyond display {pct(beyond, 99):.2f} ms vs two frame periods + stage p99 = "
      f"{bound:.2f} ms: {'within' if pct(beyond, 99) <= bound else 'OVER'}")
EOF
}

echo "load before: $(uptime)"
run_live nominal
run_live overloaded
echo "load after: $(uptime)"
summarize nominal 30
summarize overloaded 60
"$conveyor" report "$out/overloaded.json" --plot "$out/overloaded_latency.png" >/dev/null
screenshot overloaded m
echo "plot: $out/overloaded_latency.png; screenshots: $out/nominal_screen.png $out/overloaded_screen.png"
