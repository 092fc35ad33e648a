#!/usr/bin/python3
"""Turns the timings of bench/run_ops.sh into the comparison table and RESULT lines.

usage: report_ops.py OUT_DIR
OUT_DIR holds ours_<run>.json (Google Benchmark JSON of build/bench/ops_bench),
tuned_<run>.json and default_<run>.json (bench/torch_ops.py). Samples of all runs (several
processes: a 2-thread process can land in a slow mode and stay there) are pooled and the
median is taken. Throughputs: higher is better; ratio = ours / peer.
"""
import glob
import json
import os
import statistics
import sys

MATMULS = [(512, 512, 512), (128, 784, 512)]
ELEMENTWISE_SHAPES = [(128, 4096), (1 << 20,)]
ELEMENTWISE_OPS = ["add", "multiply", "relu", "softmax"]
# (batch, height, width, in_channels, filters, kernel, input gradient)
CONVS = [(128, 28, 28, 1, 32, 3, False), (128, 26, 26, 32, 64, 3, True)]


def load_ours(paths):
    """{case name: [seconds per iteration]} from Google Benchmark JSON files."""
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    cases, failures = {}, {}
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        for b in data["benchmarks"]:
            if b.get("error_occurred"):
                failures[b["name"]] = b.get("error_message")
                continue
            if b.get("run_type") != "iteration":
                continue
            name = "/".join(b["name"].split("/")[:3])  # drops /real_time, /repeats:N
            cases.setdefault(name, []).append(b["real_time"] * scale[b["time_unit"]])
    for name, message in failures.items():
        print(f"failed: {name}: {message}", file=sys.stderr)
    return cases


def load_torch(paths):
    cases, meta = {}, {}
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        meta = data["meta"]
        for name, samples in data["cases"].items():
            cases.setdefault(name, []).extend(samples)
    return cases, meta


def spread(samples):
    """Half the interquartile range relative to the median: the noise of a figure."""
    if len(samples) < 4:
        return 0.0
    q = statistics.quantiles(samples, n=4)
    return (q[2] - q[0]) / 2 / statistics.median(samples)


class Row:
    def __init__(self, name, unit, work, ours, tuned, default, target, peer_label):
        self.name, self.unit, self.work, self.target = name, unit, work, target
        self.ours, self.tuned, self.default = ours, tuned, default
        self.peer_label = peer_label

    def rate(self, samples):
        return self.work / statistics.median(samples) if samples else None

    def ratio(self, peer):
        ours, theirs = self.rate(self.ours), self.rate(peer)
        return ours / theirs if ours and theirs else None


def conv_name(c):
    batch, h, w, cin, filters, k, _ = c
    return f"{batch}x{h}x{w}x{cin}_k{k}x{k}_out{filters}"


def build_rows(ours, tuned, default):
    rows = []
    for m, k, n in MATMULS:
        s = f"{m}x{k}x{n}"
        rows.append(Row(f"matmul_{s}", "GFLOP/s", 2 * m * k * n / 1e9,
                        ours.get(f"matmul/ours/{s}", []), ours.get(f"matmul/sgemm/{s}", []),
                        None, 0.9, "dnnl_sgemm"))
    for shape in ELEMENTWISE_SHAPES:
        s = "x".join(str(d) for d in shape)
        size = 1
        for d in shape:
            size *= d
        for op in ELEMENTWISE_OPS:
            key = f"{op}/%s/{s}"
            rows.append(Row(f"{op}_{s}", "Melem/s", size / 1e6, ours.get(key % "ours", []),
                            tuned.get(key % "torch", []), default.get(key % "torch", []),
                            1.0, "torch"))
    for c in CONVS:
        s = conv_name(c)
        rows.append(Row(f"conv2d_fwdbwd_{s}", "iters/s", 1.0,
                        ours.get(f"conv_fwdbwd/ours/{s}", []),
                        tuned.get(f"conv_fwdbwd/torch/{s}", []),
                        default.get(f"conv_fwdbwd/torch/{s}", []), 1.0, "torch"))
    return rows


def fmt(v, width=10, digits=1):
    return f"{v:{width}.{digits}f}" if v is not None else f"{'n/a':>{width}}"


def print_table(rows):
    print(f"{'comparison':<40}{'unit':>8}{'ours':>10}{'peer':>12}{'tuned':>10}"
          f"{'ratio':>7}{'as-is':>10}{'ratio':>7}{'noise':>13}{'target':>7}")
    for r in rows:
        noise = f"±{spread(r.ours) * 100:.0f}%/±{spread(r.tuned) * 100:.0f}%" if r.tuned else ""
        ratio = r.ratio(r.tuned)
        verdict = "" if ratio is None else (" ok" if ratio >= r.target else " MISS")
        print(f"{r.name:<40}{r.unit:>8}{fmt(r.rate(r.ours))}{r.peer_label:>12}"
              f"{fmt(r.rate(r.tuned))}{fmt(ratio, 7, 2)}"
              f"{fmt(r.rate(r.default) if r.default else None)}"
              f"{fmt(r.ratio(r.default) if r.default else None, 7, 2)}"
              f"{noise:>13}{r.target:>6.1f}{verdict}")


def print_breakdown(ours, tuned, default):
    """The parts behind the headline figures: conv (ms per call) and matmul (GFLOP/s), ours
    as an op and as the bare kernel, against the peers."""
    print("\nconv2d breakdown, ms per call (median): ours op | ours kernel only | torch tuned")

    def ms(cases, key):
        return statistics.median(cases[key]) * 1e3 if cases.get(key) else None

    for c in CONVS:
        s = conv_name(c)
        print(f"  {s}")
        print(f"    forward           {fmt(ms(ours, f'conv_fwd/ours/{s}'), 8, 2)} |"
              f"{fmt(ms(ours, f'conv_kfwd/kernel/{s}'), 8, 2)} |"
              f"{fmt(ms(tuned, f'conv_fwd/torch/{s}'), 8, 2)}")
        print(f"    backward data     {'':>8} |{fmt(ms(ours, f'conv_kbwd_data/kernel/{s}'), 8, 2)} |")
        print(f"    backward weights  {'':>8} |"
              f"{fmt(ms(ours, f'conv_kbwd_weights/kernel/{s}'), 8, 2)} |")
        print(f"    forward+backward  {fmt(ms(ours, f'conv_fwdbwd/ours/{s}'), 8, 2)} |"
              f"{'':>8} |{fmt(ms(tuned, f'conv_fwdbwd/torch/{s}'), 8, 2)}")
    print("\nmatmul, GFLOP/s (median): ours op | ours kernel only | dnnl_sgemm |"
          " torch.mm tuned | torch.mm as-is")
    for m, k, n in MATMULS:
        s = f"{m}x{k}x{n}"
        flop = 2 * m * k * n / 1e9
        sources = [(ours, f"matmul/ours/{s}"), (ours, f"matmul_k/kernel/{s}"),
                   (ours, f"matmul/sgemm/{s}"), (tuned, f"matmul/torch/{s}"),
                   (default, f"matmul/torch/{s}")]
        rates = [flop / statistics.median(c[key]) if c.get(key) else None for c, key in sources]
        print(f"  {s:<16}" + " |".join(fmt(r, 8) for r in rates))


def main():
    out = sys.argv[1]
    ours = load_ours(sorted(glob.glob(os.path.join(out, "ours_*.json"))))
    tuned, tuned_meta = load_torch(sorted(glob.glob(os.path.join(out, "tuned_*.json"))))
    default, default_meta = load_torch(sorted(glob.glob(os.path.join(out, "default_*.json"))))
    print(f"peer: torch {tuned_meta.get('torch')}; tuned = {tuned_meta.get('threads')} threads, "
          f"as-is = {default_meta.get('threads')} threads")
    print("ours and peer columns: tuned peer (dnnl_sgemm for matmul); as-is: torch defaults; "
          "noise: half the IQR of ours / of the peer\n")
    rows = build_rows(ours, tuned, default)
    print_table(rows)
    print_breakdown(ours, tuned, default)
    print()
    for r in rows:
        values = [r.rate(r.ours), r.rate(r.tuned), r.ratio(r.tuned)]
        ours, peer, ratio = ("nan" if v is None else f"{v:.{d}f}" for v, d in zip(values, (1, 1, 3)))
        print(f"RESULT {r.name} ours={ours} peer={peer} ratio={ratio} unit={r.unit}")


if __name__ == "__main__":
    main()
