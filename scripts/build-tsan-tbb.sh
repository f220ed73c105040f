#!/usr/bin/env bash
# Builds oneTBB from Debian's own source package with ThreadSanitizer, for the
# TSan run of the pipeline tests (.ci/run). Debian's libtbb is not instrumented,
# so TSan cannot see the hand-offs of the flow graph and of parallel_for and
# reports thousands of false races; with this build they are checked for real.
# Prints the folder holding libtbb.so.12 (use it as LD_LIBRARY_PATH).
#   scripts/build-tsan-tbb.sh WORK_DIR
set -euo pipefail
work="${1:?usage: scripts/build-tsan-tbb.sh WORK_DIR}"
mkdir -p "$work"
cd "$work"

version=$(dpkg-query -W -f='${source:Version}' libtbb-dev)
if ! ls onetbb-*/CMakeLists.txt oneTBB-*/CMakeLists.txt >/dev/null 2>&1; then
  # apt-get source needs an active deb-src entry for Debian's archive (a
  # commented-out "# deb-src" line does not count).
  if ! grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
    /etc/apt/sources.list /etc/apt/sources.list.d/; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$codename" "$codename" | $SUDO tee /etc/apt/sources.list.d/conveyor-deb-src.sources >/dev/null
    $SUDO apt-get update -qq
  fi
  apt-get source -qq --download-only "onetbb=$version" >&2
  tar xf onetbb_*.orig.tar.*
fi
src=$(dirname "$(ls onetbb-*/CMakeLists.txt oneTBB-*/CMakeLists.txt 2>/dev/null | head -1)")
cmake -S "$src" -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF \
  -DTBBMALLOC_BUILD=OFF -DTBB_STRICT=OFF -DTBB_SANITIZE=thread >/dev/null
cmake --build build -j"$(nproc)" >&2
dirname "$(find "$PWD/build" -name 'libtbb.so.12' | head -1)"
