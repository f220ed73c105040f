# Sourced by scripts/behaviour-check.sh: running one case and turning its
# outputs into manifest lines. Needs $conveyor, $out and $manifest.

# Prints the folder of case NAME, creating it.
case_dir() {
  mkdir -p "$out/cases/$1"
  echo "$out/cases/$1"
}

# Writes stdin to cases/NAME/p.yaml (the case's pipeline file).
pipeline() {
  cat >"$(case_dir "$1")/p.yaml"
}

line() { printf '%s  %s\n' "$1" "$2" >>"$manifest"; }

# conv NAME ARGS...: runs `conveyor ARGS` in cases/NAME and records its exit
# code; stdout and stderr are kept beside the outputs for reading.
# XVFB=1 runs it under a virtual display; PRINT=1 records stdout as an output;
# TIMING=1 marks a run whose frame counts depend on timing (see record_case).
conv() {
  local name="$1" dir rc=0
  shift
  dir="$(case_dir "$name")"
  local -a cmd=(timeout 120 "$conveyor" "$@")
  [[ "${XVFB:-0}" == 1 ]] && cmd=(xvfb-run -a -s "-screen 0 1280x800x24" "${cmd[@]}")
  (cd "$dir" && "${cmd[@]}" >stdout.txt 2>stderr.txt) || rc=$?
  line "$name/exit" "$rc"
  [[ "${PRINT:-0}" == 1 ]] && line "$name/stdout" "$(sha256sum <"$dir/stdout.txt" | cut -c1-64)"
  [[ "${TIMING:-0}" == 1 ]] && touch "$dir/.timing"
  return 0
}

# Records that a case cannot run here, and why.
skip_case() {
  line "$1/skipped" "$2"
}

# A video's decoded frames: the pixel hashes and the timing columns apart, so
# a difference says which. The framemd5 text is kept in $out/framemd5/.
hash_video() {  # $1 = manifest key, $2 = file
  local md5="$out/framemd5/${1//\//__}.txt"
  if ! ffmpeg -nostdin -v error -i "$2" -f framemd5 - >"$md5" 2>/dev/null; then
    line "$1" "undecodable"
    return
  fi
  local frames pixels timing
  frames=$(grep -vc '^#' "$md5" || true)
  pixels=$(grep -v '^#' "$md5" | awk -F', *' '{print $1, $5, $6}' | sha256sum | cut -c1-16)
  timing=$(grep -v -e '^#software' "$md5" | awk -F', *' '/^#/ {print; next} {print $1, $2, $3, $4}' |
    sha256sum | cut -c1-16)
  # MJPG (.avi) is encoded with frame threads and a bit-rate target: FFmpeg's
  # rate control then depends on thread timing and the same run gives other
  # pixels; only its frame count and timing are compared.
  [[ "$2" == *.avi ]] && pixels="not-compared(MJPG-rate-control-varies-run-to-run)"
  line "$1" "video frames=$frames pixels=$pixels timing=$timing"
}

# The deterministic part of a run report (timings left out).
report_fields() {  # $1 = file, $2 = 1 when the frame counts depend on timing
  if [[ "$2" == 1 ]]; then
    jq -c -S '{exit_code}' "$1"
  else
    jq -c -S '{exit_code, frames, drops, outputs}' "$1"
  fi
}

# The trace's columns that do not depend on timing.
trace_fields() {
  awk -F, 'NR == 1 {for (i = 1; i <= NF; ++i) col[$i] = i; next}
    {print $col["sequence"], $col["source_index"], $col["outcome"]}' "$1"
}

record_file() {  # $1 = manifest key, $2 = file, $3 = timing flag
  case "$2" in
    *.mkv | *.mp4 | *.avi | *.mov)
      [[ "$3" == 1 ]] || hash_video "$1" "$2"
      ;;
    *.json)
      if jq -e 'has("frames")' "$2" >/dev/null 2>&1; then
        line "$1" "report $(report_fields "$2" "$3")"
      else
        line "$1" "$(sha256sum <"$2" | cut -c1-64)"
      fi
      ;;
    *)
      if [[ "$2" == *.csv ]] && head -n1 "$2" | grep -q '^sequence,'; then
        [[ "$3" == 1 ]] ||
          line "$1" "trace rows=$(($(wc -l <"$2") - 1)) $(trace_fields "$2" | sha256sum | cut -c1-16)"
      else
        line "$1" "$(sha256sum <"$2" | cut -c1-64)"
      fi
      ;;
  esac
}

# Every file a case wrote under its out/ folder, and any temporary left behind.
record_case() {
  local name="$1" dir="$out/cases/$1" timing=0 file
  [[ -e "$dir/.timing" ]] && timing=1
  [[ -d "$dir/out" ]] || return 0
  while IFS= read -r file; do
    record_file "$name/${file#"$dir"/}" "$file" "$timing"
  done < <(find "$dir/out" -type f | sort)
  if find "$dir" -name '*.partial*' | grep -q .; then line "$name/leftover" "partial files"; fi
  return 0
}

# The fixtures, so that a different FFmpeg or OpenCV shows up as such.
record_fixtures() {
  local file
  while IFS= read -r file; do
    record_file "fixtures/${file#"$1"/}" "$file" 0
  done < <(find "$1" -type f | sort)
}
