#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine, builds (Release) and runs
# every test through ctest. Extra arguments go to ctest, e.g. ./test.sh -R conv
set -euo pipefail
cd "$(dirname "$0")"

./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCONVEYOR_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
