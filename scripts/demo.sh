#!/usr/bin/env bash
# Builds keras-cpp (Release, build/) and runs the demo: a small MLP trained with
# GradientTape and SGD.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$root/build" --target demo
"$root/build/examples/demo" "$@"
