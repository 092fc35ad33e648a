#!/usr/bin/python3
"""Golden values for tests/test_layers_conv.cpp: the convolution, pooling and spatial
reshaping layers' forward passes, computed independently with torch.nn.functional in
float64 from float32 inputs and weights (all saved, rounded once to float32).

Keras's layouts are mapped to torch's here: channels_last (NHWC / NWC) data is permuted
to NCHW / NCW; a Keras conv kernel (spatial..., in / groups, out) becomes torch's (out,
in / groups, spatial...); a Keras transposed-conv kernel (spatial..., filters, in) becomes
torch's (in, filters, spatial...). Keras's "same" padding (TF's split: the odd pixel
after) is applied with F.pad; "causal" pads the time axis on the left by
dilation * (kernel - 1). A transposed conv is torch's full transposed conv, cropped or
zero-extended to the padding Keras (keras/src/backend/common/backend_utils.py) uses.
channels_first cases compute in channels_last and transpose the input and the result.

Run: /usr/bin/python3 tests/golden/gen_layers_conv.py"""
import os

import numpy as np
import torch
import torch.nn.functional as F

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers_conv")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20250301)


def save(name, a):
    np.save(os.path.join(out, name + ".npy"), np.array(a, dtype=np.float32, order="C"))


def data(name, shape):
    """float32 values in [-1, 1), saved, returned as a float64 tensor."""
    a = rng.uniform(-1, 1, shape).astype(np.float32)
    save(name, a)
    return torch.from_numpy(a.astype(np.float64))


def first(x):  # channels_last -> channels_first
    return x.permute(0, x.dim() - 1, *range(1, x.dim() - 1))


def last(x):  # channels_first -> channels_last
    return x.permute(0, *range(2, x.dim()), 1)


def as_tuple(v, n):
    return (v,) * n if isinstance(v, int) else tuple(v)


def same_pads(size, k, s, d=1):
    ke = d * (k - 1) + 1
    o = -(-size // s)
    total = max((o - 1) * s + ke - size, 0)
    return total // 2, total - total // 2


def conv(x, k, strides=1, padding="valid", dilation=1, groups=1):
    """Keras conv of channels_last x with a (spatial..., in / groups, out) kernel."""
    n = x.dim() - 2
    s, d = as_tuple(strides, n), as_tuple(dilation, n)
    xt = first(x)
    ks = k.shape[:n]
    if padding == "same":
        pads = []
        for size, kk, ss, dd in reversed(list(zip(xt.shape[2:], ks, s, d))):
            pads += list(same_pads(size, kk, ss, dd))
        xt = F.pad(xt, pads)
    elif padding == "causal":
        xt = F.pad(xt, [d[0] * (ks[0] - 1), 0])
    w = k.permute(n + 1, n, *range(n))
    fn = F.conv2d if n == 2 else F.conv1d
    return last(fn(xt, w, stride=s, dilation=d, groups=groups))


def depthwise(x, k, strides=1, padding="valid", dilation=1):
    """(spatial..., C, M) is a grouped conv with kernel (spatial..., 1, C * M)."""
    n = x.dim() - 2
    c, m = k.shape[n], k.shape[n + 1]
    return conv(x, k.reshape(*k.shape[:n], 1, c * m), strides, padding, dilation, groups=c)


def jax_pads(k, s, d, padding, output_padding):
    ke = (k - 1) * d + 1
    if padding == "valid":
        op = max(ke, s) - ke if output_padding is None else output_padding
        return ke - 1, ke - 1 + op
    pad_len = s + ke - 2 if output_padding is None else ke + ke % 2 - 2 + output_padding
    left = min(pad_len // 2 + pad_len % 2, ke - 1)
    return left, pad_len - left


def conv_transpose(x, k, strides, padding, output_padding=None, dilation=1):
    """Keras conv_transpose of channels_last x with a (spatial..., filters, in) kernel."""
    n = x.dim() - 2
    s, d = as_tuple(strides, n), as_tuple(dilation, n)
    ops = (None,) * n if output_padding is None else as_tuple(output_padding, n)
    fn = F.conv_transpose2d if n == 2 else F.conv_transpose1d
    y = fn(first(x), k.permute(n + 1, n, *range(n)), stride=s, dilation=d)
    for i in range(n):
        axis, kk = 2 + i, k.shape[i]
        ke = (kk - 1) * d[i] + 1
        left, right = jax_pads(kk, s[i], d[i], padding, ops[i])
        crop_l, crop_r = ke - 1 - left, ke - 1 - right
        if crop_r < 0:
            shape = list(y.shape)
            shape[axis] = -crop_r
            y = torch.cat([y, torch.zeros(shape, dtype=y.dtype)], axis)
            crop_r = 0
        y = y.narrow(axis, crop_l, y.shape[axis] - crop_l - crop_r)
    return last(y)


def pool(x, window, strides, padding, kind):
    """Keras max / average pooling of channels_last x (padding never counts)."""
    xt = first(x)
    n = xt.dim() - 2
    window, strides = as_tuple(window, n), as_tuple(strides, n)
    pads = [0] * (2 * n)
    if padding == "same":
        pads = []
        for size, w, s in reversed(list(zip(xt.shape[2:], window, strides))):
            pads += list(same_pads(size, w, s))
    if n == 1:
        xt, window, strides, pads = xt.unsqueeze(2), (1,) + window, (1,) + strides, pads + [0, 0]
    if kind == "max":
        y = F.max_pool2d(F.pad(xt, pads, value=-np.inf), window, strides)
    else:
        total = F.avg_pool2d(F.pad(xt, pads), window, strides, divisor_override=1)
        count = F.avg_pool2d(F.pad(torch.ones_like(xt), pads), window, strides, divisor_override=1)
        y = total / count
    return last(y.squeeze(2) if n == 1 else y)


def bias_act(y, b, act=None):
    y = y + b
    return {None: y, "relu": torch.relu(y), "tanh": torch.tanh(y)}[act]


# ---- Conv2D ------------------------------------------------------------------------------
x = data("conv2d_x", (2, 5, 6, 3))
k = data("conv2d_k", (3, 2, 3, 4))
b = data("conv2d_b", (4,))
save("conv2d_valid", bias_act(conv(x, k), b))
save("conv2d_same_s2_relu", bias_act(conv(x, k, 2, "same"), b, "relu"))
save("conv2d_x_cf", first(x))
save("conv2d_same_s2_relu_cf", first(bias_act(conv(x, k, 2, "same"), b, "relu")))
xg = data("conv2d_groups_x", (1, 6, 6, 4))
kg = data("conv2d_groups_k", (2, 2, 2, 6))
bg = data("conv2d_groups_b", (6,))
save("conv2d_groups2_d2", bias_act(conv(xg, kg, 1, "valid", 2, groups=2), bg))

# ---- Conv1D ------------------------------------------------------------------------------
x1 = data("conv1d_x", (2, 7, 3))
k1 = data("conv1d_k", (3, 3, 2))
b1 = data("conv1d_b", (2,))
save("conv1d_causal_d2", bias_act(conv(x1, k1, 1, "causal", 2), b1))
save("conv1d_same_s2_tanh", bias_act(conv(x1, k1, 2, "same"), b1, "tanh"))
save("conv1d_x_cf", first(x1))
save("conv1d_same_s2_tanh_cf", first(bias_act(conv(x1, k1, 2, "same"), b1, "tanh")))

# ---- Conv2DTranspose / Conv1DTranspose ---------------------------------------------------
xt = data("convt2d_x", (2, 3, 4, 3))
kt = data("convt2d_k", (3, 3, 2, 3))
bt = data("convt2d_b", (2,))
save("convt2d_same_s2", bias_act(conv_transpose(xt, kt, 2, "same"), bt))
save("convt2d_valid_s2_op1", bias_act(conv_transpose(xt, kt, 2, "valid", 1), bt))
save("convt2d_x_cf", first(xt))
save("convt2d_same_s2_cf", first(bias_act(conv_transpose(xt, kt, 2, "same"), bt)))
xt1 = data("convt1d_x", (2, 5, 3))
kt1 = data("convt1d_k", (3, 2, 3))
bt1 = data("convt1d_b", (2,))
save("convt1d_valid_s2", bias_act(conv_transpose(xt1, kt1, 2, "valid"), bt1))

# ---- DepthwiseConv2D / DepthwiseConv1D ---------------------------------------------------
xd = data("dw2d_x", (2, 5, 5, 3))
kd = data("dw2d_k", (3, 3, 3, 2))
bd = data("dw2d_b", (6,))
save("dw2d_same_m2", bias_act(depthwise(xd, kd, 1, "same"), bd))
save("dw2d_x_cf", first(xd))
save("dw2d_valid_s2_cf", first(bias_act(depthwise(xd, kd, 2, "valid"), bd)))
xd1 = data("dw1d_x", (2, 6, 3))
kd1 = data("dw1d_k", (2, 3, 2))
bd1 = data("dw1d_b", (6,))
save("dw1d_valid_m2", bias_act(depthwise(xd1, kd1), bd1))

# ---- SeparableConv2D / SeparableConv1D ----------------------------------------------------
xs = data("sep2d_x", (2, 6, 6, 3))
ksd = data("sep2d_dk", (3, 3, 3, 2))
ksp = data("sep2d_pk", (1, 1, 6, 4))
bs = data("sep2d_b", (4,))
save("sep2d_same_s2_m2", bias_act(conv(depthwise(xs, ksd, 2, "same"), ksp), bs))
save("sep2d_x_cf", first(xs))
save("sep2d_same_s2_m2_cf", first(bias_act(conv(depthwise(xs, ksd, 2, "same"), ksp), bs)))
xs1 = data("sep1d_x", (2, 7, 3))
ksd1 = data("sep1d_dk", (3, 3, 1))
ksp1 = data("sep1d_pk", (1, 3, 2))
bs1 = data("sep1d_b", (2,))
save("sep1d_valid_relu", bias_act(conv(depthwise(xs1, ksd1), ksp1), bs1, "relu"))

# ---- pooling -----------------------------------------------------------------------------
xp = data("pool2d_x", (2, 5, 7, 3))
save("maxpool2d_default", pool(xp, 2, 2, "valid", "max"))
save("avgpool2d_3s2_same", pool(xp, 3, 2, "same", "avg"))
save("pool2d_x_cf", first(xp))
save("maxpool2d_3s2_same_cf", first(pool(xp, 3, 2, "same", "max")))
save("avgpool2d_2s1_valid_cf", first(pool(xp, 2, 1, "valid", "avg")))
xp1 = data("pool1d_x", (2, 8, 3))
save("maxpool1d_3s2_same", pool(xp1, 3, 2, "same", "max"))
save("avgpool1d_default_valid", pool(xp1, 2, 2, "valid", "avg"))

# ---- global pooling ------------------------------------------------------------------------
save("gmax2d", xp.amax(dim=(1, 2)))
save("gavg2d_keepdims_cf", first(xp.mean(dim=(1, 2), keepdim=True)))
save("gmax1d_cf", xp1.amax(dim=1))  # channels_first input is pool1d_x transposed
save("gavg1d", xp1.mean(dim=1))
mask = np.array([[1, 1, 0, 1, 0, 0, 1, 1], [0, 0, 0, 1, 1, 1, 1, 0]], dtype=bool)
np.save(os.path.join(out, "gavg1d_mask.npy"), mask)
m = torch.from_numpy(mask.astype(np.float64)).unsqueeze(2)
save("gavg1d_masked", (xp1 * m).sum(dim=1) / m.sum(dim=1))

# ---- UpSampling, ZeroPadding2D, Cropping2D -------------------------------------------------
xu = data("up2d_x", (2, 3, 4, 2))
save("up2d_nearest_2x3", xu.repeat_interleave(2, dim=1).repeat_interleave(3, dim=2))
bil = last(F.interpolate(first(xu), size=(6, 12), mode="bilinear", align_corners=False))
save("up2d_bilinear_2x3", bil)
save("up2d_x_cf", first(xu))
save("up2d_bilinear_2x3_cf", first(bil))
save("up1d_3", xp1.repeat_interleave(3, dim=1))
save("zeropad2d_1234", F.pad(first(xp), [3, 4, 1, 2]).permute(0, 2, 3, 1))
save("zeropad2d_1_cf", F.pad(first(xp), [1, 1, 1, 1]))
save("crop2d_1201", xp[:, 1:5 - 2, 0:7 - 1, :])
save("crop2d_sym_cf", first(xp)[:, :, 1:5 - 1, 2:7 - 2])
