#!/usr/bin/python3
"""Golden values for tests/test_layers_core.cpp: float64 inputs and weights from a seeded
generator, and the layers' expected outputs computed independently here with numpy and
torch (torch.nn.functional for the activations, embedding and softmax). The C++ tests
load the weights with set_weights, so both sides compute with the same numbers.
Run: /usr/bin/python3 tests/golden/gen_layers_core.py"""
import os

import numpy as np
import torch
import torch.nn.functional as F

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers_core")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240807)


def save(name, a):
    a = np.asarray(a)
    dtype = np.int64 if a.dtype.kind in "iu" else (np.bool_ if a.dtype == np.bool_ else np.float64)
    np.save(os.path.join(out, name + ".npy"), np.ascontiguousarray(a, dtype=dtype))


def uniform(name, shape, lo=-1.0, hi=1.0):
    a = rng.uniform(lo, hi, shape)
    save(name, a)
    return a


def t(a):
    return torch.from_numpy(np.asarray(a, dtype=np.float64))


# Dense: 2-D and 3-D inputs (the kernel contracts the last axis), relu and linear.
x = uniform("dense_x", (4, 5))
k = uniform("dense_kernel", (5, 3))
b = uniform("dense_bias", (3,))
save("dense_relu_y", np.maximum(x @ k + b, 0.0))
save("dense_linear_nobias_y", x @ k)
x3 = uniform("dense_x3", (2, 3, 5))
save("dense_rank3_y", np.maximum(np.einsum("btf,fu->btu", x3, k) + b, 0.0))

# Activation layers by name.
xa = uniform("act_x", (3, 4), -3.0, 3.0)
save("act_sigmoid_y", torch.sigmoid(t(xa)).numpy())
save("act_tanh_y", np.tanh(xa))
save("act_softmax_y", F.softmax(t(xa), dim=-1).numpy())

# ReLU(max_value=1.5, negative_slope=0.1, threshold=0.2): Keras's piecewise definition.
save("relu_opts_y", np.where(xa >= 1.5, 1.5, np.where(xa > 0.2, xa, 0.1 * (xa - 0.2))))
save("relu_default_y", F.relu(t(xa)).numpy())
save("leaky_relu_y", F.leaky_relu(t(xa), 0.3).numpy())
save("elu_y", F.elu(t(xa), alpha=0.7).numpy())

# PReLU: alpha per feature (shared over axis 1 of a (2, 3, 4) input -> alpha (1, 4)).
xp = uniform("prelu_x", (2, 3, 4))
ap = uniform("prelu_alpha", (1, 4), 0.05, 0.5)
save("prelu_y", np.where(xp >= 0, xp, ap * xp))

# Softmax over one axis, over two axes, and with a mask.
xs = uniform("softmax_x", (2, 3, 4), -2.0, 2.0)
save("softmax_axis1_y", F.softmax(t(xs), dim=1).numpy())
e = np.exp(xs - xs.max(axis=(1, 2), keepdims=True))
save("softmax_axes12_y", e / e.sum(axis=(1, 2), keepdims=True))
mask = rng.uniform(size=(2, 1, 4)) > 0.4
mask[1, 0, :] = False  # a fully masked row gives zeros
save("softmax_mask", mask)
masked = np.where(mask, xs, -np.inf)
with np.errstate(invalid="ignore"):
    em = np.exp(masked - masked.max(axis=-1, keepdims=True))
    sm = em / em.sum(axis=-1, keepdims=True)
save("softmax_masked_y", np.where(mask, np.nan_to_num(sm), 0.0))

# Reshaping layers.
xr = uniform("reshape_x", (2, 3, 4, 5))
save("flatten_last_y", xr.reshape(2, -1))
save("flatten_first_y", np.transpose(xr, (0, 2, 3, 1)).reshape(2, -1))
save("reshape_y", xr.reshape(2, 6, 10))
save("permute_y", np.transpose(xr, (0, 3, 1, 2)))
xv = uniform("repeat_x", (2, 3))
save("repeat_y", np.repeat(xv[:, None, :], 4, axis=1))

# Masking(mask_value=0.5): timesteps whose features all equal 0.5 are masked and zeroed.
xm = uniform("masking_raw", (2, 4, 3))
xm[0, 1, :] = 0.5
xm[1, 3, :] = 0.5
xm[1, 0, 0] = 0.5  # a timestep with only one feature equal: not masked
save("masking_x", xm)
keep = np.any(xm != 0.5, axis=-1)
save("masking_mask", keep)
save("masking_y", np.where(keep[..., None], xm, 0.0))

# Embedding: rows looked up by index (0 is padding for mask_zero).
w = uniform("embedding_w", (10, 4))
ids = np.array([[1, 0, 7, 9, 0], [3, 3, 2, 0, 5]])
save("embedding_ids", ids)
save("embedding_y", F.embedding(torch.from_numpy(ids), t(w)).numpy())
save("embedding_mask", ids != 0)

# ActivityRegularization(l1=0.01, l2=0.02) on a (4, 6) batch: the penalty over the batch size.
xq = uniform("actreg_x", (4, 6))
save("actreg_loss", np.array((0.01 * np.abs(xq).sum() + 0.02 * (xq ** 2).sum()) / 4.0))

# A small MLP, Input(16) -> Dense(8, relu) -> Dense(4), as Sequential and functional.
xm16 = uniform("mlp_x", (5, 16))
k1 = uniform("mlp_k1", (16, 8), -0.5, 0.5)
b1 = uniform("mlp_b1", (8,), -0.1, 0.1)
k2 = uniform("mlp_k2", (8, 4), -0.5, 0.5)
b2 = uniform("mlp_b2", (4,), -0.1, 0.1)
h = torch.relu(t(xm16) @ t(k1) + t(b1))
save("mlp_y", (h @ t(k2) + t(b2)).numpy())
