#!/usr/bin/python3
"""Golden values for tests/test_ops_conv.cpp: float32 inputs from a seeded generator,
expected outputs from torch.nn.functional in float64 (conv1d/conv2d, conv_transpose2d,
max_pool / avg_pool, interpolate), rounded once to float32. Keras's layouts (NHWC
inputs, HWIO kernels) are permuted to torch's here; Keras's "same" padding (TF's split,
the odd pixel after) is applied explicitly with F.pad, and average pooling leaves padded
positions out of each mean (sum pooling divided by the count of real pixels).
Run: /usr/bin/python3 tests/golden/gen_conv.py"""
import os

import numpy as np
import torch
import torch.nn.functional as F

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240612)


def save(name, a):
    np.save(os.path.join(out, name + ".npy"), np.array(a, dtype=np.float32, order="C"))


def inp(name, shape):
    a = rng.uniform(-1, 1, shape).astype(np.float32)
    save(name, a)
    return torch.from_numpy(a.astype(np.float64))


def same_pads(size, k, s, d=1):
    """TF's 'same' padding: (before, after) with the odd pixel after."""
    ke = d * (k - 1) + 1
    o = -(-size // s)
    total = max((o - 1) * s + ke - size, 0)
    return total // 2, total - total // 2


def nchw(x):  # NHWC -> NCHW, or NWC -> NCW
    return x.permute(0, x.dim() - 1, *range(1, x.dim() - 1))


def nhwc(x):
    return x.permute(0, *range(2, x.dim()), 1)


def oihw(k):  # Keras (kh, kw, in / groups, out) -> torch (out, in / groups, kh, kw)
    return k.permute(k.dim() - 1, k.dim() - 2, *range(k.dim() - 2))


def conv(x, k, strides, padding, dilation=1, groups=1):
    """Keras conv on channels_last x with an HWIO kernel (2-D or 1-D)."""
    xt = nchw(x)
    spatial = xt.shape[2:]
    ks = k.shape[:-2]
    sv = (strides,) * len(spatial) if isinstance(strides, int) else strides
    dv = (dilation,) * len(spatial) if isinstance(dilation, int) else dilation
    if padding == "same":
        pads = []
        for size, kk, s, d in reversed(list(zip(spatial, ks, sv, dv))):
            pads += list(same_pads(size, kk, s, d))
        xt = F.pad(xt, pads)
    fn = F.conv2d if len(spatial) == 2 else F.conv1d
    return nhwc(fn(xt, oihw(k), stride=sv, dilation=dv, groups=groups))


# ---- conv2d ------------------------------------------------------------------------------
x = inp("x2763", (2, 7, 6, 3))
k = inp("k3334", (3, 3, 3, 4))
save("conv_valid", conv(x, k, 1, "valid"))
save("conv_same_s2", conv(x, k, 2, "same"))
save("conv_same_d2", conv(x, k, 1, "same", dilation=2))
k2 = inp("k2234", (2, 2, 3, 4))
save("conv_valid_s21", conv(x, k2, (2, 1), "valid"))
xg = inp("x2664", (2, 6, 6, 4))
kg = inp("k3326", (3, 3, 2, 6))
save("conv_groups2_same", conv(xg, kg, 1, "same", groups=2))
# channels_first: the same maths on NCHW data.
save("x2763_cf", nchw(x))
save("conv_same_s2_cf", nchw(conv(x, k, 2, "same")))
# ---- conv1d ------------------------------------------------------------------------------
x1 = inp("x293", (2, 9, 3))
k1 = inp("k334", (3, 3, 4))
save("conv1d_same_s2", conv(x1, k1, 2, "same"))
save("conv1d_valid_d2", conv(x1, k1, 1, "valid", dilation=2))

# ---- depthwise: (kh, kw, C, M) is a grouped conv with kernel (kh, kw, 1, C * M) ----------
kd = inp("k3332", (3, 3, 3, 2))
save("depthwise_same", conv(x, kd.reshape(3, 3, 1, 6), 1, "same", groups=3))
save("depthwise_valid_s2", conv(x, kd.reshape(3, 3, 1, 6), 2, "valid", groups=3))


# ---- conv_transpose: torch's full transposed conv, cropped / zero-extended to Keras's
# (JAX's) padding, from keras/src/backend/common/backend_utils.py --------------------------
def jax_pads(k, s, d, padding, output_padding):
    ke = (k - 1) * d + 1
    if padding == "valid":
        op = max(ke, s) - ke if output_padding is None else output_padding
        return ke - 1, ke - 1 + op
    pad_len = s + ke - 2 if output_padding is None else ke + ke % 2 - 2 + output_padding
    left = min(pad_len // 2 + pad_len % 2, ke - 1)
    return left, pad_len - left


def conv_transpose(x, k, s, padding, output_padding=None, d=1):
    """Keras conv_transpose: x NHWC, kernel (kh, kw, filters, in)."""
    y = F.conv_transpose2d(nchw(x), k.permute(3, 2, 0, 1), stride=s, dilation=d)
    for axis, kk in ((2, k.shape[0]), (3, k.shape[1])):
        ke = (kk - 1) * d + 1
        left, right = jax_pads(kk, s, d, padding, output_padding)
        crop_l, crop_r = ke - 1 - left, ke - 1 - right
        if crop_r < 0:
            shape = list(y.shape)
            shape[axis] = -crop_r
            y = torch.cat([y, torch.zeros(shape, dtype=y.dtype)], axis)
            crop_r = 0
        y = y.narrow(axis, crop_l, y.shape[axis] - crop_l - crop_r)
    return nhwc(y)


xt = inp("x2443", (2, 4, 4, 3))
kt = inp("k3353", (3, 3, 5, 3))
save("convt_same_s2", conv_transpose(xt, kt, 2, "same"))
save("convt_valid_s2", conv_transpose(xt, kt, 2, "valid"))
save("convt_valid_s2_op1", conv_transpose(xt, kt, 2, "valid", 1))
save("convt_same_s2_op1", conv_transpose(xt, kt, 2, "same", 1))
kt2 = inp("k2253", (2, 2, 5, 3))
save("convt_valid_s3_k2", conv_transpose(xt, kt2, 3, "valid"))
save("convt_same_s1", conv_transpose(xt, kt, 1, "same"))


# ---- pooling -----------------------------------------------------------------------------
def pool(x, window, strides, padding, kind):
    xt = nchw(x)
    spatial = xt.shape[2:]
    if padding == "same":
        pads = []
        for size, w, s in reversed(list(zip(spatial, window, strides))):
            pads += list(same_pads(size, w, s))
    else:
        pads = [0] * (2 * len(spatial))
    if len(spatial) == 1:
        xt, window, strides, pads = xt.unsqueeze(2), (1,) + tuple(window), (1,) + tuple(strides), pads + [0, 0]
    if kind == "max":
        y = F.max_pool2d(F.pad(xt, pads, value=-np.inf), window, strides)
    else:
        total = F.avg_pool2d(F.pad(xt, pads), window, strides, divisor_override=1)
        count = F.avg_pool2d(F.pad(torch.ones_like(xt), pads), window, strides, divisor_override=1)
        y = total / count
    if len(spatial) == 1:
        y = y.squeeze(2)
    return nhwc(y)


xp = inp("x2573", (2, 5, 7, 3))
save("maxpool_valid_2", pool(xp, (2, 2), (2, 2), "valid", "max"))
save("maxpool_same_3s2", pool(xp, (3, 3), (2, 2), "same", "max"))
save("avgpool_valid_2", pool(xp, (2, 2), (2, 2), "valid", "avg"))
save("avgpool_same_3s2", pool(xp, (3, 3), (2, 2), "same", "avg"))
save("avgpool_same_2s1", pool(xp, (2, 2), (1, 1), "same", "avg"))
save("x2573_cf", nchw(xp))
save("maxpool_same_3s2_cf", nchw(pool(xp, (3, 3), (2, 2), "same", "max")))
xp1 = inp("x283", (2, 8, 3))
save("maxpool1d_same_3s2", pool(xp1, (3,), (2,), "same", "max"))
save("avgpool1d_valid_3s2", pool(xp1, (3,), (2,), "valid", "avg"))


# ---- resize (half-pixel centres, no antialiasing) -----------------------------------------
def resize(x, size, mode):
    kw = {"align_corners": False} if mode == "bilinear" else {}
    return nhwc(F.interpolate(nchw(x), size=size, mode=mode, **kw))


xr = inp("x2453", (2, 4, 5, 3))
save("resize_bilinear_up", resize(xr, (7, 9), "bilinear"))
save("resize_bilinear_down", resize(xr, (3, 2), "bilinear"))
save("resize_bilinear_mixed", resize(xr, (8, 3), "bilinear"))
save("resize_nearest_up", resize(xr, (7, 9), "nearest-exact"))
save("resize_nearest_down", resize(xr, (3, 2), "nearest-exact"))
save("x2453_cf", nchw(xr))
save("resize_bilinear_up_cf", nchw(resize(xr, (7, 9), "bilinear")))
