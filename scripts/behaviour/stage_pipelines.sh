# Sourced by scripts/behaviour/cases.sh: stages (strides, borders, kernels,
# combine, post, chains, several maps) and sinks (every type and format).

CLIP6="{ type: file, path: $F/clip.mkv, end: 6 }"

stage_pipelines() {
  pipeline stage_strides <<EOF
name: stage_strides
source: $CLIP6
stages:
  - name: s
    bank:
      - { name: s1, kernel: sobel_x }
      - { name: s2, kernel: sobel_x, stride: 2 }
      - { name: s21, kernel: sobel_y, stride: [2, 1] }
      - { name: s3, kernel: box7, stride: 3, border: valid }
    post: { normalize: minmax }
sinks:
  - { type: images, input: s.s2, pattern: out/s2_%03d.png }
  - { type: images, input: s.s21, pattern: out/s21_%03d.png }
  - { type: images, input: s.s3, pattern: out/s3_%03d.png }
  - { type: images, input: s, pattern: out/mosaic_%03d.png }
metrics: { report: out/report.json }
EOF
  run_p stage_strides
  pipeline stage_borders <<EOF
name: stage_borders
source: $CLIP6
stages:
  - name: b
    bank:
      - { name: valid, kernel: { gaussian: { size: 7, sigma: 2 } }, border: valid }
      - { name: zero, kernel: { gaussian: { size: 7, sigma: 2 } }, border: zero }
      - { name: replicate, kernel: { gaussian: { size: 7, sigma: 2 } }, border: replicate }
      - { name: reflect, kernel: { gaussian: { size: 7, sigma: 2 } }, border: reflect }
      - { name: wrap, kernel: { gaussian: { size: 7, sigma: 2 } }, border: wrap }
sinks:
  - { type: images, input: b.valid, pattern: out/valid_%03d.tif }
  - { type: images, input: b.zero, pattern: out/zero_%03d.tif }
  - { type: images, input: b.replicate, pattern: out/replicate_%03d.tif }
  - { type: images, input: b.reflect, pattern: out/reflect_%03d.tif }
  - { type: images, input: b.wrap, pattern: out/wrap_%03d.tif }
  - { type: file, input: b, path: out/mosaic.mkv }
EOF
  run_p stage_borders
  pipeline stage_kernels <<EOF
name: stage_kernels
include_kernels: [$F/mine.yaml]
source: { type: file, path: $F/clip_rgb.mkv, end: 4 }
stages:
  - name: k
    border: replicate
    bank:
      - { name: mine, weights: [[0, -1, 0], [-1, 5, -1], [0, -1, 0]], flip: true }
      - { name: even, weights: [[1, 2], [3, 4]], anchor: [1, 0] }
      - { name: ridge, kernel: ridge }
      - { name: corner, kernel: corner }
      - { name: sobel2, kernel: { sobel_x: { dx: 2, size: 5 } } }
      - { name: motion, kernel: { motion_blur: { size: 9 } } }
      - scharr_x
      - roberts_x
      - emboss
      - unsharp
sinks:
$(for k in mine even ridge corner sobel2 motion scharr_x roberts_x emboss unsharp; do
    echo "  - { type: images, input: k.$k, pattern: out/${k}_%03d.tif }"
  done)
EOF
  run_p stage_kernels
  combine_pipelines
  post_pipelines
  chain_pipeline
}

combine_pipelines() {
  local op extra
  for op in magnitude sum_abs max max_abs weighted_sum stack; do
    extra=""
    [[ $op == weighted_sum ]] && extra=", weights: [1, -0.5, 2]"
    [[ $op == max ]] && extra=", inputs: [gx, lap]"
    pipeline "combine_$op" <<EOF
name: combine_$op
source: $CLIP6
stages:
  - name: c
    bank: [{ name: gx, kernel: sobel_x }, { name: gy, kernel: sobel_y }, { name: lap, kernel: laplacian }]
    combine: { op: $op$extra }
sinks:
  - { type: images, pattern: out/c_%03d.tif }
  - { type: file, path: out/c.mkv }
EOF
    run_p "combine_$op"
  done
}

post_pipelines() {
  local name post
  while read -r name post; do
    pipeline "post_$name" <<EOF
name: post_$name
source: { type: testpattern, pattern: bars, width: 120, height: 80, frames: 3, color: bgr }
stages:
  - name: p
    color: bgr
    bank: [{ name: lap, kernel: laplacian8 }]
    post: $post
sinks:
  - { type: images, pattern: out/p_%03d.tif }
  - { type: images, pattern: out/p_%03d.png }
  - { type: file, path: out/p.mkv }
EOF
    run_p "post_$name"
  done <<'EOF'
none { normalize: none, scale: 0.25 }
none_u8 { normalize: none, scale: 0.25, to_u8: true }
abs_scale { normalize: abs_scale, scale: 0.5 }
abs_scale_f32 { normalize: abs_scale, scale: 0.5, to_u8: false }
clamp { normalize: clamp, scale: 2 }
minmax { normalize: minmax }
threshold { normalize: minmax, threshold: 100 }
EOF
}

chain_pipeline() {
  pipeline stage_chain <<EOF
name: stage_chain
source: { type: file, path: $F/clip_rgb.mkv, color: bgr }
stages:
  - name: blur
    color: bgr
    bank: [{ name: soft, kernel: { gaussian: { size: 5, sigma: 1.2 } } }]
    post: { normalize: clamp }
  - name: sharpen
    bank: [{ name: crisp, kernel: sharpen, border: replicate }]
    post: { normalize: clamp }
sinks:
  - { type: file, path: out/chain.mkv }
  - { type: file, input: source, path: out/source.mkv }
  - { type: images, input: blur.soft, pattern: out/soft_%03d.png }
  - { type: images, input: blur, pattern: out/blur_%03d.ppm }
EOF
  run_p stage_chain
}
