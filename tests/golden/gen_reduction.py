#!/usr/bin/python3
"""Golden values for tests/test_ops_reduction.cpp and tests/test_ops_nn_norm.cpp: inputs
from a seeded generator; expected outputs from numpy (reductions, computed in float64 and
rounded once to float32; the crossentropies on probabilities follow Keras 3's numpy
backend formulas) and torch (softmax, log_softmax, batch_norm, layer_norm, the
from-logits crossentropies).
Run: /usr/bin/python3 tests/golden/gen_reduction.py"""
import os

import numpy as np
import torch
import torch.nn.functional as F

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reduction")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240602)
EPS = 1e-7  # keras.backend.epsilon()
# The clipping bounds as a float32 computation sees them (1 - 1e-7 rounds to 1 - 2^-23).
LO, HI = float(np.float32(EPS)), float(np.float32(1.0 - EPS))


def save(name, a):
    np.save(os.path.join(out, name + ".npy"), a)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def t64(a):
    return torch.from_numpy(np.asarray(a, dtype=np.float64))


# ---- reductions over a (3, 4, 5) float32 tensor ----------------------------------------
x = f32(rng.uniform(-2, 2, (3, 4, 5)))
save("x", x)
X = x.astype(np.float64)
axes = {"all": None, "a0": 0, "a1": 1, "am1": -1, "a02": (0, 2), "a12": (1, 2)}


def logsumexp(v, axis):
    m = np.max(v, axis=axis, keepdims=True)
    return np.squeeze(np.log(np.sum(np.exp(v - m), axis=axis, keepdims=True)) + m, axis=axis)


fns = {
    "sum": np.sum,
    "mean": np.mean,
    "max": np.max,
    "min": np.min,
    "prod": np.prod,
    "var": np.var,
    "std": np.std,
    "logsumexp": logsumexp,
}
for fname, fn in fns.items():
    for aname, axis in axes.items():
        save(f"{fname}_{aname}", f32(fn(X, axis=axis)))

# keepdims
save("sum_a1_keep", f32(np.sum(X, axis=1, keepdims=True)))
save("max_a02_keep", f32(np.max(X, axis=(0, 2), keepdims=True)))

# ---- integers and bools ----------------------------------------------------------------
i = rng.integers(-9, 10, (4, 6)).astype(np.int32)
save("i", i)
save("i_sum_a0", np.sum(i, axis=0).astype(np.int32))
save("i_sum_all", np.sum(i).astype(np.int32))
save("i_mean_a1", f32(np.mean(i.astype(np.float64), axis=1)))
save("i_max_a1", np.max(i, axis=1))
save("i_min_a0", np.min(i, axis=0))
small = rng.integers(-3, 4, (4, 6)).astype(np.int64)
save("l", small)
save("l_prod_a1", np.prod(small, axis=1).astype(np.int64))
save("l_sum_a1", np.sum(small, axis=1).astype(np.int64))

b = rng.random((3, 5)) < 0.5
b[0, :] = True  # a row of all True
b[2, :] = False  # a row of all False
save("b", b)
save("b_any_a1", np.any(b, axis=1))
save("b_all_a1", np.all(b, axis=1))
save("b_any_a0", np.any(b, axis=0))
save("b_all_a0", np.all(b, axis=0))
save("b_sum_a0", np.sum(b, axis=0).astype(np.int32))

# ---- argmax / argmin with ties and NaN ---------------------------------------------------
am = f32(rng.integers(0, 4, (5, 7)))  # small integers: many ties
am[1, 3] = np.nan
am[3, 0] = np.nan
am[3, 5] = np.nan
save("am", am)
save("argmax_a1", np.argmax(am, axis=1).astype(np.int32))
save("argmin_a1", np.argmin(am, axis=1).astype(np.int32))
save("argmax_a0", np.argmax(am, axis=0).astype(np.int32))
save("argmin_a0", np.argmin(am, axis=0).astype(np.int32))
save("argmax_all", np.array(np.argmax(am), dtype=np.int32))
save("argmin_all", np.array(np.argmin(np.nan_to_num(am, nan=5.0)), dtype=np.int32))

# ---- softmax / log_softmax (torch) -------------------------------------------------------
s = f32(rng.uniform(-5, 5, (3, 4, 6)))
save("s", s)
for axis in (0, 1, 2):
    save(f"softmax_a{axis}", f32(torch.softmax(t64(s), dim=axis).numpy()))
    save(f"log_softmax_a{axis}", f32(torch.log_softmax(t64(s), dim=axis).numpy()))
big = f32([[1000.0, 0.0, -1000.0], [-1e30, -1e30, -1e30], [88.0, 89.0, 90.0]])
save("s_big", big)
save("softmax_big", f32(torch.softmax(t64(big), dim=-1).numpy()))
save("log_softmax_big", f32(torch.log_softmax(t64(big), dim=-1).numpy()))

# ---- batch / layer normalisation (torch) -------------------------------------------------
n = f32(rng.normal(0.5, 2.0, (4, 3, 5)))
save("n", n)
mu = f32(rng.uniform(-1, 1, (3,)))
va = f32(rng.uniform(0.5, 2, (3,)))
gam = f32(rng.uniform(0.5, 1.5, (3,)))
bet = f32(rng.uniform(-1, 1, (3,)))
save("bn_mean", mu)
save("bn_var", va)
save("bn_gamma", gam)
save("bn_beta", bet)
# axis 1 (channels_first style): torch's batch_norm normalises dim 1.
def bn(v, g, b):
    """torch's inference-mode batch_norm over dim 1, epsilon 1e-3 (Keras's default)."""
    return F.batch_norm(v, t64(mu), t64(va), g, b, training=False, eps=1e-3)


save("bn_axis1", f32(bn(t64(n), t64(gam), t64(bet)).numpy()))
save("bn_axis1_plain", f32(bn(t64(n), None, None).numpy()))
# last axis: move it to dim 1 for torch.
n5 = np.moveaxis(n, 1, 2).copy()  # (4, 5, 3)
save("n_last", n5)
bn_last = bn(t64(np.moveaxis(n5, 2, 1)), t64(gam), t64(bet))
save("bn_last", f32(np.moveaxis(bn_last.numpy(), 1, 2)))

lg = f32(rng.uniform(0.5, 1.5, (5,)))
lb = f32(rng.uniform(-1, 1, (5,)))
save("ln_gamma", lg)
save("ln_beta", lb)
save("ln_last", f32(F.layer_norm(t64(n), (5,), t64(lg), t64(lb), 1e-3).numpy()))
save("ln_last_plain", f32(F.layer_norm(t64(n), (5,), None, None, 1e-3).numpy()))
lg2 = f32(rng.uniform(0.5, 1.5, (3, 5)))
save("ln_gamma2", lg2)
save("ln_last2", f32(F.layer_norm(t64(n), (3, 5), t64(lg2), None, 1e-3).numpy()))

# ---- crossentropies ------------------------------------------------------------------------
logits = f32(rng.normal(0, 3, (4, 6)))
logits[0, 0] = 60.0  # large logits: the stable forms stay finite
logits[1, 1] = -60.0
probs = f32(torch.softmax(t64(logits), dim=-1).numpy())
probs[2, :] = f32([0.0, 0.0, 1.0, 0.0, 0.0, 0.0])  # exact 0 and 1: the clipping matters
onehot_idx = rng.integers(0, 6, (4,)).astype(np.int32)
soft_t = f32(rng.dirichlet(np.ones(6), 4))
save("ce_logits", logits)
save("ce_probs", probs)
save("ce_soft_target", soft_t)
save("ce_index", onehot_idx)


def keras_cce_probs(t, p, axis=-1):
    p = p / np.sum(p, axis=axis, keepdims=True)
    p = np.clip(p, LO, HI)
    return -np.sum(t * np.log(p), axis=axis)


T = soft_t.astype(np.float64)
save("cce_logits", f32(-(t64(T) * torch.log_softmax(t64(logits), dim=-1)).sum(-1).numpy()))
save("cce_probs", f32(keras_cce_probs(T, probs.astype(np.float64))))
# axis 0 (classes along the first axis)
save("cce_logits_a0", f32(-(t64(T.T) * torch.log_softmax(t64(logits.T), dim=0)).sum(0).numpy()))
oh = np.eye(6)[onehot_idx]
labels = torch.from_numpy(onehot_idx.astype(np.int64))
save("scce_logits", f32(F.cross_entropy(t64(logits), labels, reduction="none").numpy()))
save("scce_probs", f32(keras_cce_probs(oh, probs.astype(np.float64))))

bl = f32(rng.normal(0, 4, (3, 5)))
bl[0, 0] = 80.0
bl[0, 1] = -80.0
bt = f32(rng.uniform(0, 1, (3, 5)))
bp = f32(rng.uniform(0, 1, (3, 5)))
bp[1, 0] = 0.0
bp[1, 1] = 1.0
save("bce_logits_x", bl)
save("bce_target", bt)
save("bce_probs_x", bp)
bce = F.binary_cross_entropy_with_logits(t64(bl), t64(bt), reduction="none")
save("bce_logits", f32(bce.numpy()))
P = np.clip(bp.astype(np.float64), LO, HI)
save("bce_probs", f32(-(bt * np.log(P) + (1.0 - bt) * np.log(1.0 - P))))
