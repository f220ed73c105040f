#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and runs the main job:
# the default pipeline (test pattern -> Sobel edge magnitude -> video + report),
# headless. Extra arguments go to `conveyor run`, e.g. ./run.sh --frames 60
set -euo pipefail
cd "$(dirname "$0")"

./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCONVEYOR_BUILD_TESTS=OFF -DCONVEYOR_BUILD_BENCH=OFF >/dev/null
cmake --build build --target conveyor -j"$(nproc)"

./build/src/conveyor run pipelines/default.yaml "$@"
