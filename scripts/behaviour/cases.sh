# Sourced by scripts/behaviour-check.sh: the cases. Each runs in its own folder
# cases/NAME and writes under out/; fixtures are at ../../fixtures from there.
# Shipped pipelines are run as they are, shortened with --frames where long;
# the others are small pipelines in the spirit of tests/pipeline/e2e_*.cpp.
F=../../fixtures

# shellcheck source=pipelines.sh
source "$here/behaviour/pipelines.sh"
# shellcheck source=stage_pipelines.sh
source "$here/behaviour/stage_pipelines.sh"
# shellcheck source=sink_pipelines.sh
source "$here/behaviour/sink_pipelines.sh"
# shellcheck source=apply_cases.sh
source "$here/behaviour/apply_cases.sh"


shipped_cases() {
  local p="$root/pipelines" file name
  for file in "$p"/*.yaml; do
    name="$(basename "$file" .yaml)"
    conv "validate_$name" validate "$file"
  done
  conv shipped_bank_maps run "$p/bank_maps.yaml" -q
  conv shipped_blur_sharpen run "$p/blur_sharpen.yaml" --frames 20 -q
  conv shipped_default run "$p/default.yaml" --frames 30 -q
  conv shipped_file_edges run "$p/file_edges.yaml" --set "source.path=$F/clip_h264.mp4" -q
  conv shipped_latency_probe run "$p/latency_probe.yaml" --frames 30 -q
  # Paced at 30 fps into a window, newest frame wins: counts depend on timing.
  XVFB=1 TIMING=1 conv shipped_live_demo run "$p/live_demo.yaml" --frames 30 -q
  skip_case shipped_webcam_edges "needs a V4L2 camera; a camera's picture is never the same twice"
}

# Runs cases/NAME/p.yaml (written by pipeline) with extra ARGS.
run_p() {
  local name="$1"
  shift
  conv "$name" run p.yaml -q "$@"
}

# A gstreamer case, recorded as skipped when GStreamer lacks the elements.
gstreamer_case() {  # $1 = name, then run arguments
  run_p "$@"
  if grep -q 'failed to start' "$out/cases/$1/stderr.txt"; then
    skip_case "$1" "GStreamer elements missing (videotestsrc: gstreamer1.0-plugins-base)"
  fi
}

run_all_cases() {
  shipped_cases
  e2e_pipelines
  source_pipelines
  stage_pipelines
  sink_pipelines
  apply_cases
  PRINT=1 conv kernels_list kernels
  PRINT=1 conv kernels_mine kernels --kernels-file "$F/mine.yaml" sharpen ridge corner
}
