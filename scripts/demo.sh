#!/usr/bin/env bash
# Builds keras-cpp (Release, build/) and runs the demo: Keras's convnet trained on
# Fashion-MNIST with compile/fit (summary, model.png, progress bars, test accuracy).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$root/build" --target demo
"$root/build/examples/demo" "$@"
