# Sourced by scripts/behaviour/cases.sh: every sink type, every video
# container and image format, gray and colour.

sink_formats() {  # $1 = name, $2 = colour (gray | bgr)
  pipeline "$1" <<EOF
name: $1
source: { type: testpattern, width: 66, height: 50, frames: 5, color: $2 }
stages:
  - name: e
    bank: [sobel_x, sobel_y]
    combine: { op: max_abs }
    post: { normalize: abs_scale, scale: 0.5 }
sinks:
  - { type: file, path: out/v.mkv }
  - { type: file, path: out/v.mp4 }
  - { type: file, path: out/v.avi }
  - { type: file, path: out/v_h264.mp4, fourcc: avc1 }
  - { type: file, path: out/v_fps10.mkv, fps: 10 }
  - { type: file, path: out/v.mov, fourcc: mp4v }
  - { type: images, pattern: out/i_%03d.png }
  - { type: images, pattern: out/i_%03d.jpg }
  - { type: images, pattern: out/i_%03d.bmp }
  - { type: images, pattern: out/i_%03d.webp }
  - { type: images, pattern: out/i_%03d.tif }
  - { type: images, pattern: out/i_%03d.exr }
  - { type: images, pattern: out/i_%05d.$([[ $2 == gray ]] && echo pgm || echo ppm) }
  - { type: null }
metrics: { report: out/report.json, trace: out/trace.csv }
EOF
  run_p "$1"
}

sink_pipelines() {
  sink_formats sink_formats_gray gray
  sink_formats sink_formats_bgr bgr
  pipeline sink_null <<EOF
name: sink_null
source: { type: testpattern, width: 320, height: 240, frames: 20 }
stages: [{ name: e, bank: [sobel_x, sobel_y, laplacian] }]
sinks: [{ type: null }]
metrics: { report: out/report.json, trace: out/trace.csv }
EOF
  run_p sink_null
  # A window (virtual display) beside a file: a non-live source, every frame shown.
  pipeline sink_display <<EOF
name: sink_display
source: { type: testpattern, width: 160, height: 120, frames: 10 }
stages:
  - name: e
    bank: [sobel_x, sobel_y]
    combine: { op: magnitude }
    post: { normalize: abs_scale, scale: 0.5 }
sinks:
  - { type: display, title: check, overlay: [fps, frame] }
  - { type: file, path: out/e.mkv }
metrics: { report: out/report.json }
EOF
  XVFB=1 run_p sink_display
}
