#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer + UBSan, in build-fuzz/) and runs
# each for a bounded time from the seeds in fuzz/seeds/. A crash, a hang, a sanitizer
# report or a leak fails the run; libFuzzer leaves the input that triggered it as
# <target>-crash-*, -timeout-*, -leak-* in build-fuzz/findings/.
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
# A report whose innermost frame below libFuzzer's own (and the signal handler's) lies in
# libhdf5 is a defect of Debian's HDF5 (1.10.8 crashes or loops on some corrupt files;
# docs/architecture.md, "Saving and loading"); any other is ours.
first_frame() {
  grep -E "^ *#[0-9]+ " "$1" |
    grep -vE "__sanitizer|__interceptor|fuzzer::|libFuzzer|__asan|__ubsan|__lsan|libc\.so|sysdeps/|csu/|LLVMFuzzerTestOneInput|std::|keras::fuzz|/fuzz/fuzz_" |
    head -1 || true
}

# Fork mode exits with the code of the last job even when that job's crash or timeout
# was ignored, so for the targets that reach HDF5 each input libFuzzer saved is run again
# on its own and judged by where it stops.
triage() {
  local target=$1 verdict=0 artifact report frame
  for artifact in "$build/findings/$target"-{crash,timeout,leak,oom}-*; do
    [ -e "$artifact" ] || continue
    report=$artifact.log
    if "$build/fuzz/$target" -timeout=30 -rss_limit_mb=2048 "$artifact" >"$report" 2>&1; then
      echo "$target: $(basename "$artifact") passes when run alone (slow under load, not a defect)"
      continue
    fi
    frame=$(first_frame "$report")
    if [[ "$frame" == *libhdf5* ]]; then
      echo "$target: $(basename "$artifact") stops inside libhdf5 (HDF5's defect, ignored): $frame"
    else
      echo "$target: $(basename "$artifact") is ours (see $report): ${frame:-no stack}"
      verdict=1
    fi
  done
  return $verdict
}

failed=0
rm -f "$build/findings"/fuzz_*-{crash,timeout,leak,oom,slow-unit}-*
for target in "${targets[@]}"; do
  seeds=$root/fuzz/seeds/${target#fuzz_}
  corpus=$build/corpus/$target
  log=$build/findings/$target.log
  mkdir -p "$corpus"
  extra=()
  # The .keras and .h5 targets reach HDF5 (a .keras archive holds an HDF5 weights file):
  # fork mode goes on after a crash or a hang in a child, so that HDF5's own defects do
  # not end the run; triage then looks at what it found.
  reaches_hdf5=0
  [ "$target" = fuzz_h5 ] || [ "$target" = fuzz_keras ] && reaches_hdf5=1
  [ "$reaches_hdf5" -eq 1 ] && extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1)
  echo "=== $target: ${seconds} s from $seeds"
  # -rss_limit_mb: a file may claim a huge array; the loaders must refuse it, not allocate.
  status=0
  ("$build/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$build/findings/$target-" "${extra[@]}" -seed=1 -print_final_stats=1 "$corpus" "$seeds") >"$log" 2>&1 || status=$?
  grep -E "^(Done|stat::number_of_executed_units)|INFO: fuzzed for" "$log" | tail -1
  if [ "$reaches_hdf5" -eq 1 ]; then
    triage "$target" || failed=1
  elif [ "$status" -ne 0 ]; then
    echo "$target: FAILED (see $log)"
    failed=1
  fi
done
[ "$failed" -eq 0 ] || { echo "scripts/fuzz.sh: FAILED" >&2; exit 1; }
echo "scripts/fuzz.sh: no findings"
