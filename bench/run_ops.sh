#!/usr/bin/env bash
# Benchmarks the foundation ops against their peers in one run and prints a table, then
# one line per comparison:
#   RESULT <name> ours=<value> peer=<value> ratio=<ours/peer> unit=<unit>
# (throughputs: higher is better).
#
#   matmul            ops::matmul vs dnnl_sgemm called directly (same process, same shapes)
#   add/multiply/relu/softmax, conv2d forward+backward
#                     ours vs PyTorch (Debian python3-torch), "tuned" (the headline ratio)
#                     and "as it comes" (default settings)
#
# Ours runs with OpenMP's defaults (every core). Each round runs ours, tuned torch and
# default torch back to back, in fresh processes; samples of all rounds are pooled and the
# medians compared, since a 2-thread process can land in a slow mode for its whole life.
#
# Environment: RUNS (rounds, default 3), REPS (repetitions per process, default 5),
# MIN_TIME (seconds per repetition, default 0.2), BUILD_DIR (default build),
# TORCH_THREADS (tuned torch threads, default 2), BENCH_LOCK (a lock file held while each
# measuring process runs, so that builds serialised on it do not share the cores with the
# measurement; default /tmp/keras-build.lock, empty for none), QUIET_WAIT (seconds to wait
# for an idle machine before each measuring process, default 300), RAW_DIR (keep the raw
# timings there).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
RUNS=${RUNS:-3}
REPS=${REPS:-5}
MIN_TIME=${MIN_TIME:-0.2}
TORCH_THREADS=${TORCH_THREADS:-2}
BENCH_LOCK=${BENCH_LOCK-/tmp/keras-build.lock}
QUIET_WAIT=${QUIET_WAIT:-300}
PYTHON=/usr/bin/python3  # Debian's python: it sees python3-torch and numpy

if [[ ! -f $BUILD_DIR/build.ninja ]]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
# The build directory is shared: serialise builds with the other users of the tree.
if ! grep -q 'KERAS_BUILD_BENCH:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
  flock /tmp/keras-build.lock cmake -DKERAS_BUILD_BENCH=ON "$BUILD_DIR" >&2
fi
flock /tmp/keras-build.lock ninja -C "$BUILD_DIR" ops_bench >&2
BENCH=$BUILD_DIR/bench/ops_bench

# Raw timings (JSON) go to RAW_DIR when set (kept; report again with
# `bench/report_ops.py RAW_DIR`), else to a temporary directory.
if [[ -n ${RAW_DIR:-} ]]; then
  OUT=$RAW_DIR
  mkdir -p "$OUT"
  rm -f "$OUT"/{ours,tuned,default}_*.json
else
  OUT=$(mktemp -d /tmp/keras-bench-ops.XXXXXX)
  trap 'rm -rf "$OUT"' EXIT
fi

# The torch runs never see OpenBLAS core-type overrides.
torch_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
tuned_env=("${torch_env[@]}"
  GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824
  OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1)

# Percentage of CPU time the machine spent busy over the next second.
busy_percent() {
  local a b
  read -ra a < <(head -1 /proc/stat)
  sleep 1
  read -ra b < <(head -1 /proc/stat)
  local total=0 idle=$(( b[4] + b[5] - a[4] - a[5] )) i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

# Waits (up to QUIET_WAIT seconds) until the machine is idle: another process on these
# cores makes a 2-thread OpenMP run wait at every barrier, which says nothing about the
# kernels. Counts the processes that had to start on a busy machine.
noisy=0
wait_quiet() {
  local deadline=$(( SECONDS + QUIET_WAIT )) busy
  while busy=$(busy_percent); (( busy > 10 )); do
    if (( SECONDS >= deadline )); then
      echo "  machine still ${busy}% busy; measuring anyway" >&2
      noisy=$(( noisy + 1 ))
      return
    fi
  done
}

# Runs a measuring process on a quiet machine, holding BENCH_LOCK meanwhile.
measure() {
  wait_quiet
  if [[ -n $BENCH_LOCK ]]; then
    flock "$BENCH_LOCK" "$@"
  else
    "$@"
  fi
}

model=$(lscpu | sed -n 's/^Model name: *//p')
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "machine: $model, $(nproc) cores; rounds=$RUNS reps=$REPS min_time=${MIN_TIME}s" >&2
for run in $(seq "$RUNS"); do
  echo "round $run/$RUNS: ours" >&2
  measure "$BENCH" --benchmark_format=json --benchmark_repetitions="$REPS" \
    --benchmark_min_time="$MIN_TIME" >"$OUT/ours_$run.json"
  echo "round $run/$RUNS: torch tuned" >&2
  measure "${tuned_env[@]}" "$PYTHON" "$ROOT/bench/torch_ops.py" --tuned --threads "$TORCH_THREADS" \
    --reps "$REPS" --min-time "$MIN_TIME" >"$OUT/tuned_$run.json"
  echo "round $run/$RUNS: torch as it comes" >&2
  measure "${torch_env[@]}" "$PYTHON" "$ROOT/bench/torch_ops.py" \
    --reps "$REPS" --min-time "$MIN_TIME" >"$OUT/default_$run.json"
done

# Other processes on these 2 cores (a build, a test) slow a 2-thread run far more than
# their share: say how busy the machine was.
echo "machine: $model, $(nproc) cores; load average at start: $load_start," \
  "at end: $(cut -d' ' -f1-3 /proc/loadavg); measuring processes started on a busy" \
  "machine: $noisy of $(( 3 * RUNS ))"
"$PYTHON" "$ROOT/bench/report_ops.py" "$OUT"
