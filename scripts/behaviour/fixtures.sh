# Sourced by scripts/behaviour-check.sh: the inputs of the cases, generated
# with FFmpeg (single-threaded, bit-exact flags) and plain text, like the
# clips tests/support/clip_fixtures.cpp writes for the e2e tests.

ff() { ffmpeg -nostdin -v error -y "$@"; }
ff_clip() {  # $1 = file, $2 = lavfi source, $3 = frames, then encoder options
  local file="$1" src="$2" frames="$3"
  shift 3
  ff -f lavfi -i "$src" -frames:v "$frames" -threads 1 -fflags +bitexact -flags +bitexact \
    "$@" "$file"
}

make_fixtures() {
  local f="$1"
  # Lossless clips: 8-bit 4:2:0 (limited range), full range, RGB, 10 bits, odd size.
  ff_clip "$f/clip.mkv" testsrc2=size=320x240:rate=30 24 -c:v ffv1 -pix_fmt yuv420p
  ff_clip "$f/clip_full.mkv" testsrc2=size=160x120:rate=25 10 -c:v ffv1 -pix_fmt yuvj420p
  ff_clip "$f/clip_rgb.mkv" testsrc=size=200x150:rate=30 10 -c:v ffv1 -pix_fmt bgr0
  ff_clip "$f/clip_10bit.mkv" testsrc2=size=160x120:rate=30 8 -c:v ffv1 -pix_fmt yuv420p10le
  ff_clip "$f/clip_odd.mkv" testsrc2=size=161x121:rate=30 8 -c:v ffv1 -pix_fmt yuv444p
  # Lossy, as users have them: H.264 in MP4, and one stored rotated (a phone).
  ff_clip "$f/clip_h264.mp4" testsrc2=size=320x240:rate=30 30 -c:v libx264 -preset veryfast \
    -pix_fmt yuv420p
  ff_clip "$f/clip_rot.mp4" testsrc2=size=160x96:rate=30 8 -c:v libx264 -preset veryfast \
    -pix_fmt yuv420p -metadata:s:v:0 rotate=90
  # An image sequence with a hole (f_0003 missing), colour PNGs.
  mkdir -p "$f/seq"
  ff_clip "$f/seq/f_%04d.png" testsrc2=size=160x120:rate=30 7 -start_number 0
  rm -f "$f/seq/f_0003.png"
  # Pictures for `apply`: colour PNG, gray PNG, 16-bit gray PNG.
  ff_clip "$f/photo.png" testsrc=size=96x64 1
  ff_clip "$f/gray.png" testsrc2=size=64x48 1 -pix_fmt gray
  ff_clip "$f/gray16.png" testsrc2=size=48x32 1 -pix_fmt gray16be
  text_fixtures "$f"
}

text_fixtures() {
  local f="$1"
  # The classic lesson (tests/cli/lesson_test.cpp): a 7x7 smiley and a detector.
  cat >"$f/smiley.txt" <<'EOF'
# a 7x7 smiley: two eyes, a nose, a mouth
0 0 0 0 0 0 0
0 1 0 0 0 1 0
0 0 0 0 0 0 0
0 0 0 1 0 0 0
1 0 0 0 0 0 1
0 1 1 1 1 1 0
0 0 0 0 0 0 0
EOF
  tr ' ' ',' <"$f/smiley.txt" | grep -v '^#' >"$f/smiley.csv"
  printf '0 0 1\n1 0 0\n0 1 1\n' >"$f/detector.txt"
  printf '1 2 3 4 5\n2 4 6 8 10\n-1 0 1 0 -1\n0.5 0.25 0 -0.25 -0.5\n' >"$f/ramp.txt"
  cat >"$f/mine.yaml" <<'EOF'
kernels:
  sharpen:
    description: My stronger sharpen.
    weights: [[0, -2, 0], [-2, 9, -2], [0, -2, 0]]
  ridge:
    description: A ridge detector.
    weights: [[-1, 2, -1]]
  corner:
    description: An even-sized kernel with its anchor.
    weights: [[1, -1], [-1, 1]]
    anchor: [0, 0]
EOF
}
