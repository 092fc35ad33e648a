#!/usr/bin/python3
"""Golden values for tests/test_layers_normalization.cpp and tests/test_layers_merging.cpp.

Inputs come from a seeded generator (float32 values, saved as float32); expected outputs
are computed in float64 from the formulas Keras 3 documents, independently of keras-cpp:
torch.nn.functional.batch_norm / layer_norm for the normalisations, numpy for the moving
averages (Keras uses the biased batch variance, unlike torch's running_var), Keras's
masked moments, rms_scaling and every merge (np_dot as Keras's merging_test.py).
Run: /usr/bin/python3 tests/golden/gen_layers_norm_merge.py"""
import os

import numpy as np
import torch
import torch.nn.functional as F

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers_norm_merge")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240917)


def save(name, a):
    np.save(os.path.join(out, name + ".npy"), np.ascontiguousarray(a))


def f32(shape, lo=-2.0, hi=2.0):
    return rng.uniform(lo, hi, shape).astype(np.float32)


def t64(a):
    return torch.from_numpy(np.asarray(a, dtype=np.float64))


# ---- BatchNormalization ------------------------------------------------------------------
EPS = 1e-3

# Inference on (6, 5) with given weights: gamma * (x - mm) / sqrt(mv + eps) + beta.
x = f32((6, 5))
gamma, beta, mm = f32((5,)), f32((5,)), f32((5,))
mv = f32((5,), 0.5, 2.0)
for k, v in dict(bn_x=x, bn_gamma=gamma, bn_beta=beta, bn_mm=mm, bn_mv=mv).items():
    save(k, v)
y = F.batch_norm(t64(x), t64(mm), t64(mv), t64(gamma), t64(beta), training=False, eps=EPS)
save("bn_infer", y.numpy())

# Training on the same x: batch statistics (biased variance) for the output.
y = F.batch_norm(t64(x), None, None, t64(gamma), t64(beta), training=True, eps=EPS)
save("bn_train", y.numpy())

# Three training steps on (2, 3, 4, 5) batches, axis=1, momentum 0.9, then inference.
MOM = 0.9
steps = [f32((2, 3, 4, 5)) for _ in range(3)]
for i, s in enumerate(steps):
    save("bn4_step%d" % i, s)
m_mean, m_var = np.zeros(3), np.ones(3)
for i, s in enumerate(steps):
    s64 = s.astype(np.float64)
    # Output of the step: normalised with the batch statistics, default gamma/beta.
    y = F.batch_norm(t64(s64), None, None, None, None, training=True, eps=EPS)
    save("bn4_train_out%d" % i, y.numpy())
    bm, bv = s64.mean(axis=(0, 2, 3)), s64.var(axis=(0, 2, 3))
    m_mean = m_mean * MOM + bm * (1 - MOM)
    m_var = m_var * MOM + bv * (1 - MOM)
save("bn4_moving_mean", m_mean)
save("bn4_moving_variance", m_var)
y = F.batch_norm(t64(steps[0]), t64(m_mean), t64(m_var), None, None, training=False, eps=EPS)
save("bn4_infer", y.numpy())

# Masked training on (2, 4, 3), mask (2, 4): Keras's weighted moments (count + 1e-7).
xm = f32((2, 4, 3))
mask = np.array([[1, 1, 0, 1], [0, 1, 1, 0]], dtype=bool)
save("bnm_x", xm)
save("bnm_mask", mask)
X = xm.astype(np.float64)
w = np.broadcast_to(mask[..., None], X.shape).astype(np.float64)
count = w.sum(axis=(0, 1)) + 1e-7
mean = (X * w).sum(axis=(0, 1)) / count
var = (((X - mean) * w) ** 2).sum(axis=(0, 1)) / count
save("bnm_out", (X - mean) / np.sqrt(var + EPS))
save("bnm_moving_mean", 0.99 * 0.0 + 0.01 * mean)
save("bnm_moving_variance", 0.99 * 1.0 + 0.01 * var)

# ---- LayerNormalization -------------------------------------------------------------------
xl = f32((3, 4, 5))
g5, b5 = f32((5,)), f32((5,))
g45, b45 = f32((4, 5)), f32((4, 5))
for k, v in dict(ln_x=xl, ln_g5=g5, ln_b5=b5, ln_g45=g45, ln_b45=b45).items():
    save(k, v)
save("ln_last", F.layer_norm(t64(xl), (5,), t64(g5), t64(b5), eps=EPS).numpy())
save("ln_12", F.layer_norm(t64(xl), (4, 5), t64(g45), t64(b45), eps=EPS).numpy())
# Keras's rms_scaling: x * rsqrt(var(x) + eps) * gamma (the variance, as Keras computes it).
XL = xl.astype(np.float64)
save("ln_rms", XL / np.sqrt(XL.var(axis=-1, keepdims=True) + EPS) * g5)

# ---- merges -------------------------------------------------------------------------------
a, b, c = f32((2, 4, 5)), f32((2, 4, 5)), f32((2, 4, 5))
for k, v in dict(m_a=a, m_b=b, m_c=c).items():
    save(k, v)
A, B, C = (v.astype(np.float64) for v in (a, b, c))
save("add2", A + B)
save("add3", A + B + C)
save("subtract", A - B)
save("multiply3", A * B * C)
save("average3", (A + B + C) / 3)
save("maximum3", np.maximum(np.maximum(A, B), C))
save("minimum3", np.minimum(np.minimum(A, B), C))

# Broadcasting: (5, 1, 5) * (5, 4, 5); rank mismatch (2, 5) + (2, 3, 5) via an axis after
# the batch axis.
p, q = f32((5, 1, 5)), f32((5, 4, 5))
save("bc_p", p)
save("bc_q", q)
save("bc_multiply", p.astype(np.float64) * q)
r2, r3 = f32((2, 5)), f32((2, 3, 5))
save("rank_a", r2)
save("rank_b", r3)
save("rank_add", r2.astype(np.float64)[:, None, :] + r3)

# Concatenate.
save("concat_last", np.concatenate((A, B), axis=-1))
save("concat_1", np.concatenate((A, B), axis=1))


def np_dot(x, y, axes):
    if isinstance(axes, int):
        axes = (axes, axes)
    axes = [ax if ax < 0 else ax - 1 for ax in axes]
    res = np.stack([np.tensordot(x[i], y[i], axes) for i in range(x.shape[0])])
    return res[:, None] if res.ndim == 1 else res


def l2n(x, axis):
    return x / np.sqrt(np.maximum((x * x).sum(axis=axis, keepdims=True), 1e-14))


d2a, d2b = f32((2, 4)), f32((2, 4))
d3a, d3b = f32((2, 3, 5)), f32((2, 4, 5))
e1, e2 = f32((2, 3, 5)), f32((2, 10, 3))
h1, h2 = f32((1, 3, 2)), f32((1, 1, 2, 3))
for k, v in dict(d2a=d2a, d2b=d2b, d3a=d3a, d3b=d3b, e1=e1, e2=e2, h1=h1, h2=h2).items():
    save(k, v)
D = lambda v: v.astype(np.float64)  # noqa: E731
save("dot_2d", np_dot(D(d2a), D(d2b), -1))
save("dot_3d", np_dot(D(d3a), D(d3b), 2))
save("dot_12", np_dot(D(e1), D(e2), (1, 2)))
save("dot_higher", np_dot(D(h1), D(h2), (-2, -1)))
save("dot_cos", np_dot(l2n(D(d3a), 2), l2n(D(d3b), 2), 2))
