# Sourced by scripts/behaviour/cases.sh: `conveyor apply` on text matrices and
# pictures, with every option (tests/cli/lesson_test.cpp, outputs_test.cpp).

DETECTOR='[[0,0,1],[1,0,0],[0,1,1]]'

# apply_case NAME ARGS...: `conveyor apply ARGS` with stdout recorded.
apply_case() {
  local name="$1"
  shift
  mkdir -p "$(case_dir "$name")/out"
  PRINT=1 conv "$name" apply "$@"
}

apply_text_cases() {
  apply_case apply_lesson --border valid --print --kernel "$DETECTOR" "$F/smiley.txt"
  apply_case apply_lesson_s2 --border valid --stride 2 --print -k "$DETECTOR" "$F/smiley.txt" \
    -o out/map.txt
  apply_case apply_lesson_csv --border valid --stride 2,2 --print --kernel "$F/detector.txt" \
    "$F/smiley.csv"
  apply_case apply_two_print --border valid --stride 2 --print -k "$DETECTOR" \
    -k '[[0,0,0],[0,1,0],[0,0,0]]' "$F/smiley.txt"
  apply_case apply_txt_tif -k identity "$F/ramp.txt" -o out/out.tif
  apply_case apply_gauss_tiff -k gaussian:size=3,sigma=0.7 --print "$F/ramp.txt" -o out/blur.tiff
  apply_case apply_three_maps -k sobel_x -k sobel_y -k sobel_x "$F/ramp.txt" -o out/out.tif
  apply_case apply_csv_maps -k sobel_x -k sobel_y "$F/ramp.txt" -o out/m.csv
  apply_case apply_magnitude -k '[[1]]' -k '[[2]]' --combine magnitude --print "$F/ramp.txt" \
    -o out/mag.txt
  apply_case apply_weighted -k '[[1]]' -k '[[2]]' --combine weighted_sum --weights 1,-0.5 \
    --print "$F/ramp.txt"
  apply_case apply_kernels_file --kernels-file "$F/mine.yaml" -k ridge -k corner -k sharpen \
    --border valid --print "$F/ramp.txt"
  apply_case apply_text_png -k laplacian "$F/smiley.txt" -o out/l.png
}

apply_picture_cases() {
  local photo="$F/photo.png" gray="$F/gray.png" mode border op
  apply_case apply_photo_tif -k identity "$photo" -o out/out.tif
  apply_case apply_photo_edges -k sobel_x -k sobel_y --combine magnitude "$photo" -o out/e.png
  for mode in minmax abs_scale clamp; do
    apply_case "apply_u8_$mode" -k laplacian --to-u8 "$mode" "$photo" -o out/l.png
  done
  apply_case apply_photo_jpg -k box:size=7 "$photo" -o out/b.jpg
  apply_case apply_photo_bmp -k sobel_y:size=5 "$photo" -o out/s.bmp
  apply_case apply_photo_txt -k sharpen "$photo" -o out/s.txt
  apply_case apply_photo_two_png -k sobel_x -k emboss "$photo" -o out/two.png
  for border in valid zero replicate reflect wrap; do
    apply_case "apply_border_$border" -k gaussian:size=7,sigma=2 --border "$border" "$gray" \
      -o out/g.tif
  done
  apply_case apply_stride3 -k sobel_x --stride 3 "$gray" -o out/s.tif
  apply_case apply_stride23 -k sobel_x --stride 2,3 --border valid "$gray" -o out/s.tif
  apply_case apply_stride64 -k sobel_x --stride 64 "$gray" -o out/s.tif
  apply_case apply_anchor00 -k '[[1,1],[1,1]]' --anchor 0,0 "$gray" -o out/a.tif
  apply_case apply_anchor11 -k '[[1,2],[3,4]]' --anchor 1,1 --border wrap "$gray" -o out/a.tif
  apply_case apply_flip -k emboss --flip "$gray" -o out/f.tif
  for op in stack max sum_abs max_abs; do
    apply_case "apply_combine_$op" -k sobel_x -k sobel_y -k laplacian --combine "$op" "$gray" \
      -o out/c.tif
  done
  apply_case apply_gray16 -k identity "$F/gray16.png" -o out/i.tif
  apply_case apply_threads1 --threads 1 -k unsharp "$gray" -o out/u.tif
}

apply_cases() {
  apply_text_cases
  apply_picture_cases
}
