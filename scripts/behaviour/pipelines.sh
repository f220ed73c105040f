# Sourced by scripts/behaviour/cases.sh: pipeline cases beside the shipped
# ones. Every source type that runs headless, every sink type, strides,
# borders, each combine op and post mode, several maps, images/TIFF/EXR.

# The e2e tests' own pipelines (e2e_correctness, e2e_order).
e2e_pipelines() {
  pipeline e2e_correct <<EOF
name: e2e_correct
source: { type: file, path: $F/clip.mkv }
stages:
  - name: edges
    bank: [{ name: gx, kernel: sobel_x }, { name: gy, kernel: sobel_y }]
    combine: { op: magnitude }
  - name: picture
    bank: [{ name: id, kernel: identity }]
    post: { normalize: abs_scale, scale: 0.5 }
sinks:
  - { type: file, path: out/edges.mkv }
  - { type: images, input: edges.gx, pattern: out/gx_%03d.tif }
runtime: { threads: 2, mode: throughput, max_in_flight: 4 }
metrics: { report: out/report.json, trace: out/trace.csv }
EOF
  run_p e2e_correct
  pipeline e2e_order <<EOF
name: e2e_order
source: { type: file, path: $F/clip.mkv }
stages:
  - name: same
    bank: [{ name: id, kernel: identity }]
sinks: [{ type: file, path: out/out.mkv }]
runtime: { mode: throughput, max_in_flight: 1 }
EOF
  run_p e2e_order --threads 4 --set runtime.max_in_flight=8 --set metrics.report=out/report.json
  # The same frames with one thread, small tiles, latency mode: must not change a pixel.
  sed 's/^runtime:.*/runtime: { threads: 1, mode: latency, max_in_flight: 1, tile: { width: 32, height: 16 } }/' \
    "$out/cases/e2e_order/p.yaml" | pipeline e2e_order_tiles
  run_p e2e_order_tiles
}

# A one-stage Sobel magnitude pipeline on SOURCE (a YAML mapping) to a video.
edges_pipeline() {  # $1 = name, $2 = source mapping, $3 = output file, then run arguments
  pipeline "$1" <<EOF
name: $1
source: $2
stages:
  - name: edges
    bank: [sobel_x, sobel_y]
    combine: { op: magnitude }
    post: { normalize: abs_scale, scale: 0.5 }
sinks: [{ type: file, path: out/$3 }]
metrics: { report: out/report.json }
EOF
  run_p "$1" "${@:4}"
}

source_pipelines() {
  edges_pipeline src_full_range "{ type: file, path: $F/clip_full.mkv }" edges.mkv
  edges_pipeline src_10bit "{ type: file, path: $F/clip_10bit.mkv }" edges.mkv
  edges_pipeline src_rotated "{ type: file, path: $F/clip_rot.mp4 }" edges.mkv
  edges_pipeline src_odd_size "{ type: file, path: $F/clip_odd.mkv }" e.mp4
  edges_pipeline src_h264_range "{ type: file, path: $F/clip_h264.mp4, start: 5, end: 20 }" e.mkv
  edges_pipeline src_loop "{ type: file, path: $F/clip_rgb.mkv, loop: true }" e.mkv --frames 25
  edges_pipeline src_images_printf "{ type: images, pattern: $F/seq/f_%04d.png }" edges.mkv
  edges_pipeline src_images_glob "{ type: images, pattern: '$F/seq/*.png', fps: 10 }" edges.mkv
  edges_pipeline src_image_one "{ type: images, pattern: $F/photo.png, color: bgr }" e.mkv
  local pattern
  for pattern in moving_box gradient checkerboard bars noise; do
    edges_pipeline "src_testpattern_$pattern" \
      "{ type: testpattern, pattern: $pattern, width: 96, height: 64, frames: 6, seed: 7 }" e.mkv
  done
  edges_pipeline src_testpattern_bgr \
    "{ type: testpattern, width: 96, height: 64, frames: 4, color: bgr }" e.mkv
  # Paced (newest frame wins) but slow enough that no frame is overwritten.
  edges_pipeline src_testpattern_paced \
    "{ type: testpattern, width: 96, height: 64, fps: 20, frames: 12, pace: realtime }" e.mkv
  local gst="videotestsrc num-buffers=12 ! video/x-raw,width=160,height=120 ! videoconvert ! appsink"
  pipeline src_gstreamer <<EOF
name: src_gstreamer
source: { type: gstreamer, pipeline: "$gst" }
stages: [{ name: edges, bank: [laplacian], post: { normalize: abs_scale } }]
sinks:
  - { type: file, path: out/gst.mkv }
  - { type: images, input: source, pattern: out/src_%03d.png }
metrics: { report: out/report.json }
EOF
  gstreamer_case src_gstreamer
}
