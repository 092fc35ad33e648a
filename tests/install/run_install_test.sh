#!/usr/bin/env bash
# Installs keras from a build tree into a temporary prefix, then builds and runs a tiny
# outside program three ways: CMake against the install, CMake against the build tree,
# and plain g++ with pkg-config against the install.
#   run_install_test.sh <keras build dir> <scratch dir>
# CONSUMER_FLAGS (optional): extra compile/link flags, e.g. the sanitizer flags the
# library was built with.
set -euo pipefail

build_dir=$(cd "$1" && pwd)
work=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
flags=${CONSUMER_FLAGS:-}

rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix

run_logged() {  # <log> <command...>: quiet unless the command fails
  local log=$1
  shift
  "$@" >>"$log" 2>&1 || { cat "$log" >&2; echo "FAIL: $*" >&2; exit 1; }
}

echo "== install into $prefix"
run_logged "$work/install.log" cmake --install "$build_dir" --prefix "$prefix"

echo "== installed headers include only public headers"
if grep -rnE '#include +"' "$prefix/include/keras" | grep -vE '#include +"keras/'; then
  echo "FAIL: a public header includes a non-public header" >&2
  exit 1
fi
for h in $(cd "$prefix/include" && find keras -name '*.hpp'); do
  echo "#include <$h>" | g++ -std=c++20 -fsyntax-only -I"$prefix/include" -x c++ - \
    || { echo "FAIL: $h does not compile on its own" >&2; exit 1; }
done

configure_and_run() {  # <name> <cmake args...>
  local name=$1
  shift
  echo "== CMake consumer: $name"
  run_logged "$work/$name.log" cmake -S "$here" -B "$work/$name" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" "$@"
  run_logged "$work/$name.log" cmake --build "$work/$name"
  "$work/$name/app"
}
configure_and_run installed -DCMAKE_PREFIX_PATH="$prefix"
configure_and_run build_tree -Dkeras_DIR="$build_dir"

echo "== pkg-config consumer"
pcdir=$(dirname "$(find "$prefix" -name keras.pc)")
libdir=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=libdir keras)
static=()
[ -e "$libdir/libkeras.so" ] || static=(--static)  # a static libkeras also needs -ldnnl
pc_flags=$(PKG_CONFIG_PATH=$pcdir pkg-config "${static[@]}" --cflags --libs keras)
# shellcheck disable=SC2086  # the flags are a list of words
g++ -std=c++20 $flags "$here/main.cpp" -o "$work/pkgconfig_app" $pc_flags -Wl,-rpath,"$libdir"
"$work/pkgconfig_app"

echo "install test passed"
