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

# -O0 keeps the instrumented build quick (it is a third build of the whole library in CI).
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
  -DKERAS_FUZZ=ON -DKERAS_BUILD_TESTS=OFF -DKERAS_BUILD_EXAMPLES=OFF -DKERAS_BUILD_BENCH=OFF -DKERAS_BUILD_TOOLS=OFF \
  -DCMAKE_CXX_FLAGS_RELEASE="-O0 -DNDEBUG"
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

# allocator_may_return_null: libhdf5 asks malloc for absurd sizes on corrupt files and
# copes with NULL, as it does outside the sanitizer; ASan would abort instead.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$root/scripts/lsan.supp:print_suppressions=0
mkdir -p "$build/findings"
# A crash report's top frame ("#0") inside libhdf5 is a defect of Debian's HDF5 (1.10.8
# crashes or loops on some corrupt files, in H5HG_read under H5Aread of variable-length
# strings; docs/architecture.md, "Saving and loading"); any other is ours.
ours_in_log() {
  grep -A3 -E "ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer)|runtime error:|ERROR: libFuzzer: deadly signal" "$1" |
    grep -E "^ *#0 " | grep -v libhdf5 || true
}

failed=0
for target in "${targets[@]}"; do
  seeds=$root/fuzz/seeds/${target#fuzz_}
  corpus=$build/corpus/$target
  log=$build/findings/$target.log
  mkdir -p "$corpus"
  extra=()
  # For the HDF5 target, fork mode goes on after a crash or a hang in a child, so that
  # HDF5's own defects do not end the run; the log is then checked for ours.
  [ "$target" = fuzz_h5 ] && extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1)
  echo "=== $target: ${seconds} s from $seeds"
  # -rss_limit_mb: a file may claim a huge array; the loaders must refuse it, not allocate.
  if ! (cd "$build/findings" && "$build/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
      "${extra[@]}" -seed=1 -print_final_stats=1 "$corpus" "$seeds") >"$log" 2>&1; then
    echo "$target: FAILED (see $log)"
    failed=1
  fi
  if [ -n "$(ours_in_log "$log")" ]; then
    echo "$target: a crash outside libhdf5:"
    ours_in_log "$log"
    failed=1
  fi
  grep -E "^(Done|stat::number_of_executed_units)|INFO: fuzzed for" "$log" | tail -1
  hdf5=$(grep -cE "^ *#0 .*libhdf5" "$log" || true)
  [ "$hdf5" -eq 0 ] || echo "$target: $hdf5 crash(es) inside libhdf5 (HDF5's defects, ignored)"
done
[ "$failed" -eq 0 ] || { echo "scripts/fuzz.sh: FAILED" >&2; exit 1; }
echo "scripts/fuzz.sh: no findings"
