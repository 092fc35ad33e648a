#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer + UBSan, in build-fuzz/) and runs
# each for a bounded time from the seeds in fuzz/seeds/. A crash, a sanitizer report or a
# leak fails the run; libFuzzer leaves the input that triggered it as crash-*/leak-* in
# build-fuzz/findings/.
#   scripts/fuzz.sh              every target, FUZZ_SECONDS (default 30) each
#   scripts/fuzz.sh fuzz_h5      one target
# The seed files: fuzz/seeds/h5/elu_keras2.h5 is DL4J's Keras 2.3.1 test file
# (tests/data/keras_files/dl4j_act_ELU_0); elu_keras3.h5 and keras/elu.keras are that model
# written by `keras-cpp convert`; the .npy seeds are small arrays from the test data.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${FUZZ_SECONDS:-30}
build=$root/build-fuzz
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_keras fuzz_h5 fuzz_npy)

# -O1 keeps the instrumented build quick; the fuzzers need no optimisation.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
  -DKERAS_FUZZ=ON -DKERAS_BUILD_TESTS=OFF -DKERAS_BUILD_EXAMPLES=OFF -DKERAS_BUILD_BENCH=OFF -DKERAS_BUILD_TOOLS=OFF \
  -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1 -DNDEBUG"
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$root/scripts/lsan.supp:print_suppressions=0
mkdir -p "$build/findings"
for target in "${targets[@]}"; do
  seeds=$root/fuzz/seeds/${target#fuzz_}
  corpus=$build/corpus/$target
  mkdir -p "$corpus"
  echo "=== $target: ${seconds} s from $seeds"
  # -rss_limit_mb: a file may claim a huge array; the loaders must refuse it, not allocate.
  (cd "$build/findings" && "$build/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=25 \
    -print_final_stats=1 "$corpus" "$seeds")
done
echo "scripts/fuzz.sh: no findings"
