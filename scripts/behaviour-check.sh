#!/usr/bin/env bash
# Behaviour check: runs one conveyor build over every shipped pipeline and a
# set of fixture pipelines and `apply` commands, and writes a manifest of what
# came out, so two builds (before and after a refactoring) can be compared.
#
#   scripts/behaviour-check.sh BUILD OUT      run the cases, write OUT/manifest.txt
#   scripts/behaviour-check.sh --compare A B  compare two manifests; exit 1 on any
#                                             difference, naming each line that differs
#
# BUILD is a build tree holding src/conveyor (and its media plugin beside it),
# or the conveyor executable itself. OUT is created; results of an earlier run
# there are replaced.
#
# What the manifest records, one sorted line per item, `case/item  value`:
#   - every video output: its decoded frames (`ffmpeg -f framemd5`), as a hash
#     of the pixels and a hash of the timing columns (container bytes may differ);
#   - pictures, TIFF, EXR and text-matrix outputs, and `apply --print` output:
#     sha256 of the bytes;
#   - each run's exit code; the report's frame balance, drops by reason and
#     outputs; the trace's sequence/source_index/outcome columns (timings are
#     left out: they are never the same twice);
#   - the fixtures themselves, so a different FFmpeg shows up as such.
# Runs whose frame counts depend on timing (live pacing, newest-frame-wins)
# record only what does not: see the `timing` markers in behaviour/cases.sh.
#
# Compare two builds with the SAME checkout of this script (it supplies the
# pipelines, the kernel library and the fixtures):
#   scripts/behaviour-check.sh OLD_BUILD before && scripts/behaviour-check.sh build after
#   scripts/behaviour-check.sh --compare before/manifest.txt after/manifest.txt
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

if [[ "${1:-}" == "--compare" ]]; then
  [[ $# -eq 3 ]] || usage
  # shellcheck source=behaviour/compare.sh
  source "$here/behaviour/compare.sh"
  compare_manifests "$2" "$3"
  exit $?
fi
[[ $# -eq 2 ]] || usage

if [[ -d "$1" ]]; then conveyor="$(cd "$1" && pwd)/src/conveyor"; else conveyor="$1"; fi
[[ "$conveyor" == /* ]] || conveyor="$(pwd)/$conveyor"
[[ -x "$conveyor" ]] || { echo "error: $conveyor is not an executable conveyor" >&2; exit 2; }
for tool in ffmpeg jq sha256sum xvfb-run; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing (scripts/install-deps.sh)" >&2; exit 2; }
done

mkdir -p "$2"
out="$(cd "$2" && pwd)"
rm -rf "${out:?}/fixtures" "$out/cases" "$out/framemd5" "$out/manifest.txt"
mkdir -p "$out/fixtures" "$out/cases" "$out/framemd5"
manifest="$out/manifest.unsorted"
: >"$manifest"

# Both builds read the same kernel library: this checkout's.
export CONVEYOR_KERNELS="$root/configs/kernels.yaml"
export LC_ALL=C TZ=UTC

# shellcheck source=behaviour/hash.sh
source "$here/behaviour/hash.sh"
# shellcheck source=behaviour/fixtures.sh
source "$here/behaviour/fixtures.sh"
# shellcheck source=behaviour/cases.sh
source "$here/behaviour/cases.sh"

start=$(date +%s)
make_fixtures "$out/fixtures"
record_fixtures "$out/fixtures"
run_all_cases
for dir in "$out"/cases/*/; do record_case "$(basename "$dir")"; done
sort "$manifest" >"$out/manifest.txt"
rm -f "$manifest"
echo "conveyor: $conveyor"
echo "cases: $(find "$out/cases" -mindepth 1 -maxdepth 1 -type d | wc -l)," \
  "lines: $(wc -l <"$out/manifest.txt"), skipped: $(grep -c '  skipped' "$out/manifest.txt" || true)," \
  "time: $(($(date +%s) - start)) s"
echo "manifest: $out/manifest.txt"
