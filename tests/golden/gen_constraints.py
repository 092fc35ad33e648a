#!/usr/bin/python3
"""Golden values for tests/test_constraints.cpp: keras.constraints projections computed
with numpy in float64 from Keras's definitions (epsilon 1e-7 beside the norms).
Run: /usr/bin/python3 tests/golden/gen_constraints.py"""
import os

import numpy as np

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "constraints")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240919)
EPS = 1e-7


def save(name, a):
    np.save(os.path.join(out, name + ".npy"), np.asarray(a, dtype=np.float64))


# Column norms spread on both sides of the bounds used below (about 0.3 to 3).
w = rng.normal(0.0, 1.0, (4, 6)) * np.array([0.15, 0.4, 0.6, 0.9, 1.2, 1.6])
save("w", w)
k = rng.normal(0.0, 0.4, (3, 3, 2, 4))  # a Conv2D kernel
save("k", k)


def norms(a, axis):
    return np.sqrt((a ** 2).sum(axis=axis, keepdims=True))


def max_norm(a, max_value, axis):
    n = norms(a, axis)
    return a * np.clip(n, 0, max_value) / (EPS + n)


def min_max_norm(a, lo, hi, rate, axis):
    n = norms(a, axis)
    desired = rate * np.clip(n, lo, hi) + (1 - rate) * n
    return a * desired / (EPS + n)


save("max_norm_1.5_axis0", max_norm(w, 1.5, 0))
save("max_norm_2_axis1", max_norm(w, 2.0, 1))
save("max_norm_1_k012", max_norm(k, 1.0, (0, 1, 2)))
save("min_max_norm_0.5_1_rate0.7_axis0", min_max_norm(w, 0.5, 1.0, 0.7, 0))
save("min_max_norm_default", min_max_norm(w, 0.0, 1.0, 1.0, 0))
save("unit_norm_axis0", w / (EPS + norms(w, 0)))
save("unit_norm_axis1", w / (EPS + norms(w, 1)))
save("unit_norm_k012", k / (EPS + norms(k, (0, 1, 2))))
save("non_neg", np.maximum(w, 0))
