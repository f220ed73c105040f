#!/usr/bin/env bash
# The ThreadSanitizer build of the pipeline tests (docs/testing.md): oneTBB
# rebuilt with -fsanitize=thread, conveyor and pipeline_tests built with
# CONVEYOR_TSAN=ON, every process's reports collected; exits non-zero on any
# failure or report. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "=== ThreadSanitizer build of the pipeline tests ==="
# oneTBB rebuilt with -fsanitize=thread from Debian's own source package, so
# the flow graph's and parallel_for's hand-offs are checked, not suppressed.
tsan_start=$(date +%s)
tbb_lib=$(scripts/build-tsan-tbb.sh build-tsan-tbb)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONVEYOR_TSAN=ON \
  -DCONVEYOR_BUILD_BENCH=OFF >/dev/null
cmake --build build-tsan -j"$(nproc)" --target conveyor pipeline_tests
# Every report of every process (the test programs and each `conveyor` they
# start) goes to its own file: a report in a child whose exit code a test does
# not look at still fails CI. tests/tsan.supp lists what is suppressed and why.
# The GStreamer tests bound GStreamer's start by 10 s, which TSan's slowdown
# breaks; they run in the Release and ASan steps.
# The three tests that drive a window under Xvfb (closing it, killing the X
# server) are left out here: Qt's xcb event thread is uninstrumented and their
# window-manager and X-server hand-offs are timed for a normal build; they run
# in the Release and ASan steps (docs/testing.md).
# history_size=7: the longest access history, so that the earlier access of a
# report has its stack (suppressions match either stack; without it the
# worker's side of OpenCV's stack reuse was "failed to restore the stack").
tsan_reports="$PWD/build-tsan/tsan-reports"
rm -rf "$tsan_reports" && mkdir -p "$tsan_reports"
tsan_status=0
LD_LIBRARY_PATH="$tbb_lib" \
  TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp:log_path=$tsan_reports/report:exitcode=66:history_size=7:second_deadlock_stack=1" \
  ctest --test-dir build-tsan --output-on-failure -j"$(nproc)" -L '^pipeline_tests$' -LE slow \
  -E '^(e2eDisplayEndings|E2eDisplayXvfb|GStreamerSource|e2eGStreamerStart)\.' ||
  tsan_status=$?
if compgen -G "$tsan_reports/report.*" >/dev/null; then
  cat "$tsan_reports"/report.*
  echo "ThreadSanitizer reported $(cat "$tsan_reports"/report.* | grep -c '^WARNING: ThreadSanitizer') problem(s)"
  tsan_status=1
fi
[ "$tsan_status" -eq 0 ] || exit "$tsan_status"
echo "ThreadSanitizer step took $(( $(date +%s) - tsan_start )) s"
