#!/usr/bin/python3
"""Golden values for tests/test_ops_linalg.cpp: float32 inputs from a seeded generator,
expected products from numpy (computed in float64, rounded once to float32).
Run: /usr/bin/python3 tests/golden/gen_linalg.py"""
import os

import numpy as np

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linalg")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240611)


def save(name, a):
    np.save(os.path.join(out, name + ".npy"), a)


def inp(name, shape):
    a = rng.uniform(-1, 1, shape).astype(np.float32)
    save(name, a)
    return a.astype(np.float64)


def res(name, a):
    save(name, np.array(a, dtype=np.float32, order="C"))


# ---- matmul: plain, batched, broadcast batch, 1-D promotion, N-d @ 2-d ------------------
a34, b45 = inp("a34", (3, 4)), inp("b45", (4, 5))
res("matmul_a34_b45", a34 @ b45)
a234, b245 = inp("a234", (2, 3, 4)), inp("b245", (2, 4, 5))
res("matmul_a234_b245", a234 @ b245)
res("matmul_a234_b45", a234 @ b45)
a2134, b546 = inp("a2134", (2, 1, 3, 4)), inp("b546", (5, 4, 6))
res("matmul_a2134_b546", a2134 @ b546)
v4 = inp("v4", (4,))
res("matmul_v4_b45", v4 @ b45)
res("matmul_a34_v4", a34 @ v4)
res("matmul_v4_v4", np.array(v4 @ v4))
res("matmul_v4_b245", v4 @ b245)
# A product large enough for float32 rounding to matter (the tolerance is looser).
a_big, b_big = inp("a_big", (24, 40)), inp("b_big", (40, 28))
res("matmul_big", a_big @ b_big)
i34 = rng.integers(-5, 6, (3, 4)).astype(np.int32)
i45 = rng.integers(-5, 6, (4, 5)).astype(np.int32)
save("i34", i34)
save("i45", i45)
save("matmul_i34_i45", (i34 @ i45).astype(np.int32))

# ---- tensordot, dot, outer ---------------------------------------------------------------
b345 = inp("b345", (3, 4, 5))
res("tensordot_a234_b345_2", np.tensordot(a234, b345, 2))
c425 = inp("c425", (4, 2, 5))
res("tensordot_a234_c425_02_10", np.tensordot(a234, c425, ([0, 2], [1, 0])))
res("tensordot_a34_b45_0", np.tensordot(a34, b45, 0))
res("dot_a34_b345", np.dot(a34, b345))
res("dot_a234_b45", np.dot(a234, b45))
res("outer_v4_a34", np.outer(v4, a34))

# ---- einsum ------------------------------------------------------------------------------
q = inp("q", (2, 3, 4, 5))
k = inp("k", (2, 3, 6, 5))
res("einsum_attention", np.einsum("bhqd,bhkd->bhqk", q, k))
res("einsum_ij_jk", np.einsum("ij,jk->ik", a34, b45))
res("einsum_bij_bjk", np.einsum("bij,bjk->bik", a234, b245))
res("einsum_ij_ji", np.einsum("ij->ji", a34))
res("einsum_ij_j", np.einsum("ij->j", a34))
res("einsum_i_i", np.array(np.einsum("i,i->", v4, v4)))
res("einsum_implicit", np.einsum("jk,ij", b45, a34))
res("einsum_ellipsis", np.einsum("...ij,...jk->...ik", a2134, b546))
c56 = inp("c56", (5, 6))
res("einsum_chain", np.einsum("ij,jk,kl->il", a34, b45, c56))
res("einsum_sum_first", np.einsum("bij,jk->k", a234, b45))
