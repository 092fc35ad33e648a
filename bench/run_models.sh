#!/usr/bin/env bash
# Trains the Keras MNIST MLP, the Keras MNIST CNN, the retina U-Net and the IMDB LSTM in keras-cpp
# (build/bench/models_bench) and in PyTorch (bench/torch_models.py, Debian python3-torch),
# back to back on this machine, at 1 and 2 threads, and prints a table, then
#   RESULT train_<model>_<threads>t ours=<samples/s> peer=<samples/s> ratio=<ours/peer> unit=samples/s peer_config=<stock|tuned>
#   RESULT predict_mlp_batch1 ours=<µs> peer=<µs> ratio=<peer/ours> unit=us
#   RESULT predict_mlp_batch1_vs_onednn_raw ours=<µs> peer=<µs> ratio=<peer/ours> unit=us (the same
#     forward with no framework: dnnl_sgemm per layer, the floor)
#   RSS <model> ours=<MiB> peer=<MiB>
#
#   bench/run_models.sh [mlp|cnn|unet|lstm ...]  (default: all four; mlp includes predict_mlp)
#
# Configurations, each in fresh processes:
#   ours     OMP_NUM_THREADS=<threads>
#   stock    PyTorch out of the box, OMP_NUM_THREADS=<threads> (its only thread knob)
#   tuned    torch.set_num_threads(<threads>), GLIBC_TUNABLES (no mmap/munmap and page
#            faults for every large temporary), OPENBLAS_CORETYPE unset, plus either
#            OMP_WAIT_POLICY=PASSIVE ("tuned_passive") or OPENBLAS_NUM_THREADS=1
#            ("tuned_oblas1"); both are run and the faster one per model and thread count
#            is the "tuned" figure.
# 2-thread figures are bimodal per process (a process can land in a slow mode for its
# whole life), so every figure is the median over RUNS processes. Rounds interleave all
# configurations, so drift of the machine hits them alike.
#
# Environment: RUNS (processes per configuration, default 3), MEASURE (timed seconds per
# process after the warm-up, default 4), THREADS (default "1 2"), BUILD_DIR (default
# build), BENCH_LOCK (held while a model's processes of one round run, so that builds
# serialised on it do not share the cores; default /tmp/keras-build.lock, empty for
# none), QUIET_WAIT (seconds to wait, with the lock held, for an idle machine before each
# measuring process; default 120), RAW_DIR (keep the raw outputs there; report again with
# `bench/report_models.py RAW_DIR`), BREAKDOWN=1 (also one --breakdown process of ours per
# model and thread count), EAGER=1 (also ours compiled with run_eagerly, every round: the
# traced step against the same step run op by op).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
RUNS=${RUNS:-3}
MEASURE=${MEASURE:-4}
THREADS=${THREADS:-1 2}
BENCH_LOCK=${BENCH_LOCK-/tmp/keras-build.lock}
QUIET_WAIT=${QUIET_WAIT:-120}
BREAKDOWN=${BREAKDOWN:-0}
EAGER=${EAGER:-0}
PYTHON=/usr/bin/python3  # Debian's python: it sees python3-torch
MODELS=("$@")
(( ${#MODELS[@]} )) || MODELS=(mlp cnn unet lstm)
for m in "${MODELS[@]}"; do
  case $m in mlp|cnn|unet|lstm) ;; *) echo "unknown model '$m' (mlp, cnn, unet, lstm)" >&2; exit 2 ;; esac
done

if [[ ! -f $BUILD_DIR/build.ninja ]]; then
  echo "$BUILD_DIR is not configured (cmake -B $BUILD_DIR -G Ninja -DCMAKE_BUILD_TYPE=Release -DKERAS_BUILD_BENCH=ON)" >&2
  exit 1
fi
if ! grep -q 'KERAS_BUILD_BENCH:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
  flock /tmp/keras-build.lock cmake -DKERAS_BUILD_BENCH=ON "$BUILD_DIR" >&2
fi
flock /tmp/keras-build.lock ninja -C "$BUILD_DIR" models_bench >&2
BENCH=$BUILD_DIR/bench/models_bench

if [[ -n ${RAW_DIR:-} ]]; then
  OUT=$RAW_DIR
  mkdir -p "$OUT"
  rm -f "$OUT"/*.txt
else
  OUT=$(mktemp -d /tmp/keras-bench-models.XXXXXX)
  trap 'rm -rf "$OUT"' EXIT
fi

# The torch runs never see OpenBLAS core-type overrides.
torch_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
malloc_tunables=GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824

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

# Waits (up to QUIET_WAIT seconds) until the machine is idle; counts the processes that
# had to start on a busy machine.
noisy=0
processes=0
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

# measure FILE CMD...: one measuring process on a quiet machine, its output into FILE.
measure() {
  local file=$1
  shift
  wait_quiet
  processes=$(( processes + 1 ))
  if ! "$@" >"$file" 9>&-; then
    echo "  failed: $*" >&2
    mv "$file" "$file.failed"
  fi
}

lock() { [[ -z $BENCH_LOCK ]] || { exec 9>"$BENCH_LOCK"; flock 9; }; }
unlock() { [[ -z $BENCH_LOCK ]] || { flock -u 9; exec 9>&-; }; }

cpu=$(lscpu | sed -n 's/^Model name: *//p')
family=$(lscpu | sed -n 's/^CPU family: *//p')/$(lscpu | sed -n 's/^Model: *//p')
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
start=$SECONDS
echo "machine: $cpu (family/model $family), $(nproc) cores; runs=$RUNS measure=${MEASURE}s threads=$THREADS models=${MODELS[*]}" >&2
for run in $(seq "$RUNS"); do
  for model in "${MODELS[@]}"; do
    lock
    for t in $THREADS; do
      echo "round $run/$RUNS: $model, $t thread(s) [$(( SECONDS - start ))s]" >&2
      measure "$OUT/${model}_${t}t_ours_$run.txt" env OMP_NUM_THREADS="$t" "$BENCH" "$model" "$MEASURE"
      measure "$OUT/${model}_${t}t_stock_$run.txt" "${torch_env[@]}" OMP_NUM_THREADS="$t" \
        "$PYTHON" "$ROOT/bench/torch_models.py" "$model" "$MEASURE"
      measure "$OUT/${model}_${t}t_tuned_passive_$run.txt" "${torch_env[@]}" "$malloc_tunables" \
        OMP_WAIT_POLICY=PASSIVE "$PYTHON" "$ROOT/bench/torch_models.py" "$model" "$MEASURE" --threads "$t"
      measure "$OUT/${model}_${t}t_tuned_oblas1_$run.txt" "${torch_env[@]}" "$malloc_tunables" \
        OPENBLAS_NUM_THREADS=1 "$PYTHON" "$ROOT/bench/torch_models.py" "$model" "$MEASURE" --threads "$t"
      if [[ $EAGER == 1 ]]; then
        measure "$OUT/${model}_${t}t_eager_$run.txt" env OMP_NUM_THREADS="$t" "$BENCH" "$model" "$MEASURE" --eager
      fi
      if [[ $BREAKDOWN == 1 && $run == 1 ]]; then
        measure "$OUT/${model}_${t}t_breakdown_$run.txt" env OMP_NUM_THREADS="$t" "$BENCH" "$model" "$MEASURE" --breakdown
      fi
    done
    if [[ $model == mlp ]]; then  # inference on one sample, 1 thread
      echo "round $run/$RUNS: predict_mlp [$(( SECONDS - start ))s]" >&2
      measure "$OUT/predict_1t_ours_$run.txt" env OMP_NUM_THREADS=1 "$BENCH" predict_mlp 2
      measure "$OUT/predict_1t_stock_$run.txt" "${torch_env[@]}" OMP_NUM_THREADS=1 \
        "$PYTHON" "$ROOT/bench/torch_models.py" predict_mlp 2
      measure "$OUT/predict_1t_tuned_passive_$run.txt" "${torch_env[@]}" "$malloc_tunables" \
        OMP_WAIT_POLICY=PASSIVE "$PYTHON" "$ROOT/bench/torch_models.py" predict_mlp 2 --threads 1
      measure "$OUT/predict_1t_tuned_oblas1_$run.txt" "${torch_env[@]}" "$malloc_tunables" \
        OPENBLAS_NUM_THREADS=1 "$PYTHON" "$ROOT/bench/torch_models.py" predict_mlp 2 --threads 1
    fi
    unlock
  done
done

echo "machine: $cpu (family/model $family), $(nproc) cores; $(( SECONDS - start ))s; load average at start:" \
  "$load_start, at end: $(cut -d' ' -f1-3 /proc/loadavg); measuring processes started on a busy" \
  "machine: $noisy of $processes"
"$PYTHON" "$ROOT/bench/report_models.py" "$OUT"
