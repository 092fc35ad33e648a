#!/usr/bin/env bash
# Builds keras-cpp and runs its whole test suite twice: a normal Release build in build/,
# then an AddressSanitizer + UndefinedBehaviorSanitizer build in build-asan/; then runs the
# file loaders' libFuzzer targets for a bounded time (scripts/fuzz.sh, clang, build-fuzz/).
#   scripts/test.sh               both builds and the fuzzers
#   scripts/test.sh --no-sanitize only the normal build   (or KERAS_TEST_SANITIZE=0)
#   scripts/test.sh --sanitize    only the sanitizer build and the fuzzers (or KERAS_TEST_SANITIZE=only)
# KERAS_TEST_FUZZ=0 skips the fuzzers; FUZZ_SECONDS (default 20) is each fuzzer's time.
# Extra arguments after `--` go to ctest (e.g. `-- -R test_print`).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${KERAS_TEST_SANITIZE:-1}
ctest_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --sanitize) mode=only ;;
    --no-sanitize) mode=0 ;;
    --) shift; ctest_args=("$@"); break ;;
    *) echo "usage: scripts/test.sh [--sanitize|--no-sanitize] [-- ctest args]" >&2; exit 2 ;;
  esac
  shift
done

"$root/scripts/install-deps.sh"

jobs=$(nproc)

failed=()

# build_and_test <build dir> <cmake options...>: a failure is recorded, and the other
# build still runs, so one run shows every problem.
build_and_test() {
  local dir=$1
  shift
  local start=$SECONDS
  echo "=== configure $dir"
  if cmake -S "$root" -B "$root/$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" &&
     echo "=== build $dir" && cmake --build "$root/$dir" -j "$jobs" &&
     echo "=== test $dir" && (cd "$root/$dir" && ctest --output-on-failure -j2 "${ctest_args[@]}"); then
    echo "=== $dir: passed, built and tested in $((SECONDS - start)) s"
  else
    echo "=== $dir: FAILED after $((SECONDS - start)) s"
    failed+=("$dir")
  fi
}

if [ "$mode" != only ]; then
  build_and_test build -DKERAS_SANITIZE=OFF
fi
if [ "$mode" != 0 ]; then
  # The first report fails the test; leaks fail too.
  export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:check_initialization_order=1
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  # Leaks inside system libraries' caches (fonts, Graphviz) are not ours: see the file.
  export LSAN_OPTIONS=suppressions=$root/scripts/lsan.supp:print_suppressions=0
  # -O1 keeps the sanitizer build and its tests quick; -g1 gives reports line numbers.
  build_and_test build-asan -DKERAS_SANITIZE=ON -DKERAS_BUILD_BENCH=OFF \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1 -DNDEBUG"
fi

if [ "$mode" != 0 ] && [ "${KERAS_TEST_FUZZ:-1}" != 0 ]; then
  start=$SECONDS
  echo "=== fuzz build-fuzz"
  if FUZZ_SECONDS=${FUZZ_SECONDS:-20} "$root/scripts/fuzz.sh"; then
    echo "=== build-fuzz: passed, built and fuzzed in $((SECONDS - start)) s"
  else
    echo "=== build-fuzz: FAILED after $((SECONDS - start)) s"
    failed+=(build-fuzz)
  fi
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "scripts/test.sh: FAILED in ${failed[*]}" >&2
  exit 1
fi
echo "scripts/test.sh: all builds passed"
