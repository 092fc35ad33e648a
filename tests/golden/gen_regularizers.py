#!/usr/bin/python3
"""Golden values for tests/test_regularizers.cpp: penalties of keras.regularizers computed
with numpy in float64 from Keras's definitions.
Run: /usr/bin/python3 tests/golden/gen_regularizers.py"""
import os

import numpy as np

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "regularizers")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240918)


def save(name, a):
    np.save(os.path.join(out, name + ".npy"), np.asarray(a, dtype=np.float64))


x = rng.normal(0.0, 1.0, (5, 7))
save("x", x)
save("l1_0.3", 0.3 * np.abs(x).sum())
save("l2_0.2", 0.2 * (x ** 2).sum())
save("l1l2_0.01_0.02", 0.01 * np.abs(x).sum() + 0.02 * (x ** 2).sum())


def orthogonal_penalty(x, factor, mode):
    """Mean |cosine| between distinct rows (or columns), times factor / 2."""
    v = x if mode == "rows" else x.T
    u = v / np.linalg.norm(v, axis=1, keepdims=True)
    cos = u @ u.T
    n = v.shape[0]
    off = np.abs(cos[~np.eye(n, dtype=bool)])  # each pair twice
    return factor * 0.5 * off.sum() / (n * (n - 1) / 2)


save("orthogonal_rows_0.1", orthogonal_penalty(x, 0.1, "rows"))
save("orthogonal_columns_0.1", orthogonal_penalty(x, 0.1, "columns"))
