#!/usr/bin/env bash
# Installs the Debian packages keras-cpp needs to build, test and benchmark. Fast when
# everything is already there (no apt-get at all).
set -euo pipefail

packages=(
  build-essential g++ cmake ninja-build pkg-config  # toolchain
  libdnnl-dev ocl-icd-opencl-dev                    # oneDNN: GEMM, convolutions (its CMake config needs OpenCL)
  libgtest-dev googletest libgmock-dev              # tests
  libbenchmark-dev                                  # benchmarks
  nlohmann-json3-dev                                # model configs
  libgraphviz-dev fonts-dejavu-core                 # plot_model (and a font for its labels)
  zlib1g-dev                                        # gzipped dataset files
  libhdf5-dev                                       # Keras weight files (.weights.h5, legacy .h5)
  libzip-dev                                        # .keras archives
  dataset-fashion-mnist                             # the demo's data
  python3-numpy python3-torch                       # golden files, side-by-side benchmarks
  python3-h5py                                      # golden files for the .h5 layout
  clang libclang-rt-dev                             # fuzzing (libFuzzer runtime)
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
