#!/usr/bin/python3
"""PyTorch side of bench/run_ops.sh: the cases of bench/ops_bench.cpp, under the same names.

Prints one JSON object: {"meta": {...}, "cases": {name: [seconds per iteration, ...]}},
one entry per repetition. Run with Debian's /usr/bin/python3 (it sees python3-torch).

  --tuned      torch.set_num_threads(THREADS); the caller also sets the environment
               (GLIBC_TUNABLES, OMP_WAIT_POLICY, ...), which must be in place before torch loads
  --threads N  threads for --tuned (default 2)
  --min-time S seconds per repetition (default 0.2)
  --reps R     repetitions (default 5)
  --filter RE  only cases whose name matches the regular expression
"""
import argparse
import json
import re
import time

import numpy as np
import torch
import torch.nn.functional as F


def uniform(shape, lo, hi, seed):
    rng = np.random.default_rng(seed)
    return torch.from_numpy(rng.uniform(lo, hi, size=shape).astype(np.float32))


def measure(fn, min_time, reps):
    """Seconds per call of fn: `reps` samples, each as many calls as fill min_time."""
    warm_end = time.perf_counter() + min_time
    fn()
    calls = 1
    while time.perf_counter() < warm_end:
        fn()
        calls += 1
    iters = max(1, calls)
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        for _ in range(iters):
            fn()
        samples.append((time.perf_counter() - start) / iters)
    return samples


def matmul_cases(m, k, n):
    a = uniform((m, k), -1, 1, 1)
    b = uniform((k, n), -1, 1, 2)
    return {f"matmul/torch/{m}x{k}x{n}": lambda: torch.mm(a, b)}


def elementwise_cases(shape):
    s = "x".join(str(d) for d in shape)
    a = uniform(shape, -1, 1, 3)
    b = uniform(shape, -1, 1, 4)
    return {
        f"add/torch/{s}": lambda: torch.add(a, b),
        f"multiply/torch/{s}": lambda: torch.mul(a, b),
        f"relu/torch/{s}": lambda: torch.relu(a),
        f"softmax/torch/{s}": lambda: torch.softmax(a, -1),
    }


def conv_cases(batch, height, width, cin, filters, k, input_gradient):
    # Named by the channels_last shapes ops_bench.cpp uses; torch runs its native NCHW.
    name = f"{batch}x{height}x{width}x{cin}_k{k}x{k}_out{filters}"
    x = uniform((batch, cin, height, width), -1, 1, 5).requires_grad_(input_gradient)
    w = uniform((filters, cin, k, k), -0.1, 0.1, 6).requires_grad_(True)
    dy = uniform((batch, filters, height - k + 1, width - k + 1), -1, 1, 7)
    sources = [w, x] if input_gradient else [w]

    def fwd():
        with torch.no_grad():
            return F.conv2d(x, w)

    def fwdbwd():
        y = F.conv2d(x, w)
        return torch.autograd.grad(y, sources, dy)

    return {f"conv_fwd/torch/{name}": fwd, f"conv_fwdbwd/torch/{name}": fwdbwd}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tuned", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--min-time", type=float, default=0.2)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--filter", default="")
    args = parser.parse_args()
    if args.tuned:
        torch.set_num_threads(args.threads)

    cases = {}
    cases.update(matmul_cases(512, 512, 512))
    cases.update(matmul_cases(128, 784, 512))
    cases.update(elementwise_cases((128, 4096)))
    cases.update(elementwise_cases((1 << 20,)))
    cases.update(conv_cases(128, 28, 28, 1, 32, 3, False))
    cases.update(conv_cases(128, 26, 26, 32, 64, 3, True))

    pattern = re.compile(args.filter)
    results = {
        name: measure(fn, args.min_time, args.reps)
        for name, fn in cases.items()
        if pattern.search(name)
    }
    meta = {"torch": torch.__version__, "threads": torch.get_num_threads(),
            "tuned": args.tuned}
    print(json.dumps({"meta": meta, "cases": results}))


if __name__ == "__main__":
    main()
