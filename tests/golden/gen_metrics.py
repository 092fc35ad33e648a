#!/usr/bin/python3
"""Golden values for tests/test_metrics.cpp: two batches of float64 data from a seeded
generator, and the streaming metrics over both batches computed independently here with
numpy / torch; AUC through a numpy reimplementation of Keras 3's bucketed confusion counts
(keras/src/metrics/metrics_utils.py) and its interpolation rules (confusion_metrics.py).
Run: /usr/bin/python3 tests/golden/gen_metrics.py"""
import os

import numpy as np
import torch
import torch.nn.functional as F

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240902)
EPS = 1e-7


def save(name, a):
    a = np.asarray(a)
    dtype = np.int64 if a.dtype.kind in "iu" else (np.bool_ if a.dtype == np.bool_ else np.float64)
    np.save(os.path.join(out, name + ".npy"), np.ascontiguousarray(a, dtype=dtype))


N, C = 8, 4
batches = []
for b in range(2):
    d = {}
    d["v"] = rng.uniform(-2, 2, (N,))
    d["w"] = rng.uniform(0.1, 2.0, (N,))
    d["ybin"] = rng.integers(0, 2, (N, 1)).astype(np.float64)
    d["pbin"] = rng.uniform(0, 1, (N, 1))
    d["ysp"] = rng.integers(0, C, (N,))
    d["ycat"] = np.eye(C)[d["ysp"]]
    d["pcat"] = rng.uniform(0.01, 1, (N, C))
    d["yreg"] = rng.uniform(-1, 1, (N, 3))
    d["preg"] = rng.uniform(-1, 1, (N, 3))
    d["ymulti"] = rng.integers(0, 2, (N, 3)).astype(np.float64)
    d["pmulti"] = rng.uniform(0, 1, (N, 3))
    for k, v in d.items():
        save(f"b{b}_{k}", v)
    batches.append(d)


def stream(fn, weighted):
    tot = cnt = 0.0
    for d in batches:
        v = fn(d)
        w = d["w"] if weighted else np.ones_like(v)
        tot += (v * w).sum(); cnt += w.sum()
    return tot / cnt


for weighted in (False, True):
    sfx = "_w" if weighted else ""
    save("mean" + sfx, stream(lambda d: d["v"], weighted))
    save("binary_accuracy" + sfx, stream(lambda d: ((d["pbin"] > 0.5) == d["ybin"])[:, 0].astype(float), weighted))
    save("binary_accuracy_07" + sfx,
         stream(lambda d: ((d["pbin"] > 0.7) == d["ybin"])[:, 0].astype(float), weighted))
    save("categorical_accuracy" + sfx,
         stream(lambda d: (d["pcat"].argmax(-1) == d["ycat"].argmax(-1)).astype(float), weighted))
    save("sparse_categorical_accuracy" + sfx,
         stream(lambda d: (d["pcat"].argmax(-1) == d["ysp"]).astype(float), weighted))

    def topk(d, k=2):
        tv = d["pcat"][np.arange(N), d["ysp"]]
        return ((d["pcat"] > tv[:, None]).sum(-1) < k).astype(float)
    save("top2" + sfx, stream(topk, weighted))
    save("mse" + sfx, stream(lambda d: ((d["yreg"] - d["preg"]) ** 2).mean(-1), weighted))
    save("mae" + sfx, stream(lambda d: np.abs(d["yreg"] - d["preg"]).mean(-1), weighted))
    save("rmse" + sfx, np.sqrt(stream(lambda d: ((d["yreg"] - d["preg"]) ** 2).mean(-1), weighted)))
    save("bce" + sfx, stream(lambda d: F.binary_cross_entropy(
        torch.from_numpy(np.clip(d["pbin"], EPS, 1 - EPS)), torch.from_numpy(d["ybin"]),
        reduction="none").numpy().mean(-1), weighted))
    save("cce" + sfx, stream(lambda d: -np.sum(d["ycat"] * np.log(np.clip(
        d["pcat"] / d["pcat"].sum(-1, keepdims=True), EPS, 1 - EPS)), -1), weighted))
    save("scce_logits" + sfx, stream(lambda d: F.cross_entropy(
        torch.from_numpy(d["pcat"]), torch.from_numpy(d["ysp"]), reduction="none").numpy(), weighted))

save("sum_w", sum((d["v"] * d["w"]).sum() for d in batches))


# Precision / recall at explicit thresholds (p > t), weighted by w broadcast over labels.
def pr_counts(thresholds, weighted, yk="ymulti", pk="pmulti"):
    tp = np.zeros(len(thresholds)); fp = np.zeros(len(thresholds)); fn = np.zeros(len(thresholds))
    for d in batches:
        y = d[yk].reshape(-1) > 0
        p = d[pk].reshape(-1)
        w = (np.broadcast_to(d["w"][:, None], d[pk].shape).reshape(-1) if weighted else np.ones_like(p))
        for i, t in enumerate(thresholds):
            pos = p > t
            tp[i] += w[y & pos].sum(); fp[i] += w[~y & pos].sum(); fn[i] += w[y & ~pos].sum()
    return tp, fp, fn


for weighted in (False, True):
    sfx = "_w" if weighted else ""
    tp, fp, fn = pr_counts([0.3, 0.5, 0.7], weighted)
    save("precision_3" + sfx, tp / (tp + fp)); save("recall_3" + sfx, tp / (tp + fn))
    tp, fp, fn = pr_counts([0.5], weighted)
    save("precision" + sfx, (tp / (tp + fp))[0]); save("recall" + sfx, (tp / (tp + fn))[0])


# Precision with top_k=1 over the categorical data: only each row's largest prediction counts.
def topk_prec():
    tp = fp = 0.0
    for d in batches:
        top = d["pcat"].argmax(-1)
        hit = d["ycat"][np.arange(N), top] > 0
        tp += hit.sum(); fp += (~hit).sum()
    return tp / (tp + fp)


save("precision_top1", topk_prec())


# Keras's AUC: bucketed counts at evenly spaced thresholds, then the curve's sum.
def auc_counts(T, weighted, yk, pk):
    tp = np.zeros(T); fp = np.zeros(T)
    tot_t = tot_f = 0.0
    for d in batches:
        y = (d[yk].reshape(-1) != 0).astype(float)
        p = np.clip(d[pk].reshape(-1), 0, 1)
        w = (np.broadcast_to(d["w"][:, None], d[pk].shape).reshape(-1) if weighted else np.ones_like(p))
        bucket = np.maximum(np.ceil(p * (T - 1)) - 1, 0).astype(int)
        tpb = np.bincount(bucket, weights=y * w, minlength=T)
        fpb = np.bincount(bucket, weights=(1 - y) * w, minlength=T)
        tp += np.cumsum(tpb[::-1])[::-1]; fp += np.cumsum(fpb[::-1])[::-1]
        tot_t += (y * w).sum(); tot_f += ((1 - y) * w).sum()
    return tp, fp, tot_f - fp, tot_t - tp


def dnn(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b == 0, 0.0, a / np.where(b == 0, 1, b))


def auc(T, curve, method, weighted, yk="ymulti", pk="pmulti"):
    tp, fp, tn, fn = auc_counts(T, weighted, yk, pk)
    if curve == "PR" and method == "interpolation":
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = dnn(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        ratio = np.where((p[:-1] > 0) & (p[1:] > 0), dnn(p[:-1], np.maximum(p[1:], 0)), 1.0)
        return np.sum(dnn(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0)))
    recall = dnn(tp, tp + fn)
    if curve == "ROC":
        x, y = dnn(fp, fp + tn), recall
    else:
        x, y = recall, dnn(tp, tp + fp)
    if method == "interpolation":
        h = (y[:-1] + y[1:]) / 2
    elif method == "minoring":
        h = np.minimum(y[:-1], y[1:])
    else:
        h = np.maximum(y[:-1], y[1:])
    return np.sum((x[:-1] - x[1:]) * h)


for weighted in (False, True):
    sfx = "_w" if weighted else ""
    save("auc_roc" + sfx, auc(200, "ROC", "interpolation", weighted))
    save("auc_pr" + sfx, auc(200, "PR", "interpolation", weighted))
    save("auc_roc_min_50" + sfx, auc(50, "ROC", "minoring", weighted))
    save("auc_pr_maj_50" + sfx, auc(50, "PR", "majoring", weighted))
    save("auc_bin" + sfx, auc(200, "ROC", "interpolation", weighted, "ybin", "pbin"))
