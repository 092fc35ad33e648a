#!/usr/bin/python3
"""Golden values for tests/test_ops_math.cpp and tests/test_ops_activations.cpp: inputs
from a seeded generator, expected outputs from numpy (elementwise maths, computed in
float64 and rounded once to float32) and torch.nn.functional (activations).
Run: /usr/bin/python3 tests/golden/gen_math.py"""
import os

import numpy as np
import torch
import torch.nn.functional as F

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "math")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240601)


def save(name, a):
    np.save(os.path.join(out, name + ".npy"), a)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def signed_away_from_zero(shape, lo, hi):
    """Values with |v| in [lo, hi) and random signs."""
    return f32(rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape))


# ---- binary maths, float32: a (3, 4) against b (4,) broadcast --------------------------
a = f32(rng.uniform(-3, 3, (3, 4)))
b = signed_away_from_zero((4,), 0.5, 2.5)
pos = f32(rng.uniform(0.1, 4.0, (3, 4)))
expo = f32(rng.uniform(-2.0, 2.0, (4,)))
save("a", a)
save("b", b)
save("pos", pos)
save("expo", expo)
A, B, P, E = (v.astype(np.float64) for v in (a, b, pos, expo))
save("add", f32(A + B))
save("subtract", f32(A - B))
save("multiply", f32(A * B))
save("divide", f32(A / B))
save("power", f32(P ** E))
save("minimum", f32(np.minimum(A, B)))
save("maximum", f32(np.maximum(A, B)))
save("floor_divide", f32(np.floor_divide(a, b)))  # in float32, as the op computes it
save("mod", f32(np.mod(a, b)))

# Python's sign conventions and edge cases: 1 // 0.1 is 9, x // 0 is +-inf or nan.
fd_x = f32([7.5, -7.5, 7.5, -7.5, 1.0, -1.0, 0.0, -0.0, 5.0, 3.0, -3.0, 1e-20, -1e-20, 1.0])
fd_y = f32([2.0, 2.0, -2.0, -2.0, 0.1, 0.1, 3.0, 3.0, 0.0, np.inf, np.inf, 1.0, 1.0, -0.0])
save("fd_x", fd_x)
save("fd_y", fd_y)
with np.errstate(all="ignore"):
    save("fd_floor_divide", np.floor_divide(fd_x, fd_y))
    save("fd_mod", np.mod(fd_x, fd_y))

# ---- integers ------------------------------------------------------------------------
i = rng.integers(-9, 10, (3, 4)).astype(np.int32)
j = rng.integers(1, 5, (4,)).astype(np.int32) * np.array([1, -1, 1, -1], dtype=np.int32)
save("i", i)
save("j", j)
save("int_floor_divide", np.floor_divide(i, j))
save("int_mod", np.mod(i, j))
save("int_power", np.power(i, np.abs(j)))
save("int_true_divide", f32(i.astype(np.float64) / j))
save("int_add", i + j)
save("int_multiply", i * j)

# ---- unary maths ---------------------------------------------------------------------
u = f32(rng.uniform(-3, 3, (4, 5)))
u[0, :3] = [0.0, -0.0, 1e-30]
save("u", u)
U = u.astype(np.float64)
with np.errstate(all="ignore"):
    for name, fn in {
        "negative": np.negative, "abs": np.abs, "sign": np.sign, "square": np.square,
        "exp": np.exp, "expm1": np.expm1, "sin": np.sin, "cos": np.cos, "tanh": np.tanh,
        "floor": np.floor, "ceil": np.ceil,
    }.items():
        save("u_" + name, f32(fn(U)))
    save("u_erf", f32(torch.erf(torch.from_numpy(U)).numpy()))
    save("u_tan", f32(np.tan(U / 2.5)))  # tan on (-1.2, 1.2): away from the poles
P2 = f32(rng.uniform(0.05, 5.0, (4, 5)))
save("p", P2)
PP = P2.astype(np.float64)
for name, fn in {
    "sqrt": np.sqrt, "rsqrt": lambda v: 1.0 / np.sqrt(v), "reciprocal": np.reciprocal,
    "log": np.log, "log1p": np.log1p,
}.items():
    save("p_" + name, f32(fn(PP)))

# Round half to even, including the float just below 0.5 and large values.
r = f32([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 0.49999997, -0.49999997, 2.6, -2.6, 8388609.0])
save("round_x", r)
save("round", np.round(r))

# ---- clip / where / comparisons --------------------------------------------------------
save("clip", f32(np.clip(A, -1.0, 1.5)))
cond = a > 0
save("where", f32(np.where(cond, A, B)))
# Integer-valued floats so the comparisons meet ties.
ca = np.round(a)
cb = np.round(b)
save("ca", ca)
save("cb", cb)
for name, fn in {
    "equal": np.equal, "not_equal": np.not_equal, "less": np.less, "less_equal": np.less_equal,
    "greater": np.greater, "greater_equal": np.greater_equal,
}.items():
    save("cmp_" + name, fn(ca, cb))
pa = rng.random((3, 4)) > 0.5
pb = rng.random((4,)) > 0.5
save("pa", pa)
save("pb", pb)
save("logical_and", np.logical_and(pa, pb))
save("logical_or", np.logical_or(pa, pb))
save("logical_xor", np.logical_xor(pa, pb))
save("logical_not", np.logical_not(pa))

# ---- activations (torch.nn.functional in float64, rounded to float32) -----------------
x = f32(rng.uniform(-5, 5, (4, 6)))
x[0, :4] = [0.0, 6.5, -3.5, 2.5]
save("act_x", x)
X = torch.from_numpy(x.astype(np.float64))
acts = {
    "relu": F.relu(X), "relu6": F.relu6(X), "leaky_relu": F.leaky_relu(X, 0.2),
    "leaky_relu_0.05": F.leaky_relu(X, 0.05), "elu": F.elu(X), "elu_0.5": F.elu(X, 0.5),
    "selu": F.selu(X), "gelu_tanh": F.gelu(X, approximate="tanh"), "gelu_erf": F.gelu(X),
    "sigmoid": torch.sigmoid(X), "hard_sigmoid": F.hardsigmoid(X), "silu": F.silu(X),
    "softplus": torch.log1p(torch.exp(-X.abs())) + X.clamp(min=0),
    "softsign": F.softsign(X),
    "l2_normalize": X / torch.sqrt(torch.clamp((X * X).sum(-1, keepdim=True), min=1e-12)),
    "l2_normalize_axis0": X / torch.sqrt(torch.clamp((X * X).sum(0, keepdim=True), min=1e-12)),
}
for name, v in acts.items():
    save("act_" + name, f32(v.numpy()))
