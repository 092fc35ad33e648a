#!/usr/bin/python3
"""Golden values for tests/test_activations.cpp: the keras.activations that compose other
ops, computed independently with torch.nn.functional where it has the function and with
numpy from Keras's documented definitions otherwise; float64 throughout.
Run: /usr/bin/python3 tests/golden/gen_activations.py"""
import os

import numpy as np
import torch
import torch.nn.functional as F

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "activations")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240917)


def save(name, a):
    np.save(os.path.join(out, name + ".npy"), np.asarray(a, dtype=np.float64))


# Inputs spread over [-4, 4]; random points fall on no kink of the piecewise functions.
x = rng.uniform(-4.0, 4.0, (6, 8))
save("x", x)
t = torch.from_numpy(x)

save("celu", F.celu(t, alpha=1.0).numpy())
save("celu_0.5", F.celu(t, alpha=0.5).numpy())
save("log_sigmoid", F.logsigmoid(t).numpy())
save("hard_silu", F.hardswish(t).numpy())
save("tanh_shrink", F.tanhshrink(t).numpy())
save("hard_tanh", F.hardtanh(t).numpy())
save("soft_shrink", F.softshrink(t, 0.5).numpy())
save("soft_shrink_1.5", F.softshrink(t, 1.5).numpy())
save("hard_shrink", F.hardshrink(t, 0.5).numpy())
save("hard_shrink_1.5", F.hardshrink(t, 1.5).numpy())
save("glu", F.glu(t, dim=-1).numpy())
save("glu_axis0", F.glu(t, dim=0).numpy())
save("mish", F.mish(t).numpy())
save("gelu", F.gelu(t, approximate="none").numpy())
save("gelu_tanh", F.gelu(t, approximate="tanh").numpy())
save("elu_0.3", F.elu(t, alpha=0.3).numpy())
save("leaky_relu_0.1", F.leaky_relu(t, 0.1).numpy())

# Keras's definitions (jax.nn / the Keras docs).
save("sparse_sigmoid", np.where(x <= -1, 0.0, np.where(x >= 1, 1.0, 0.5 * (x + 1))))
save("sparse_plus", np.where(x <= -1, 0.0, np.where(x < 1, 0.25 * (x + 1) ** 2, x)))
save("squareplus", (x + np.sqrt(x * x + 4.0)) / 2)
save("squareplus_1", (x + np.sqrt(x * x + 1.0)) / 2)


def relu_doc(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """keras.activations.relu as its docstring defines it, piece by piece."""
    top = np.inf if max_value is None else max_value
    return np.where(x >= top, top, np.where(x >= threshold, x, negative_slope * (x - threshold)))


save("relu_slope", relu_doc(x, negative_slope=0.1))
save("relu_max", relu_doc(x, max_value=2.5))
save("relu_max6_of_2x", relu_doc(2 * x, max_value=6.0))  # 2x reaches past 6
save("relu_threshold", relu_doc(x, threshold=1.3))
save("relu_all", relu_doc(x, negative_slope=0.2, max_value=3.0, threshold=-0.7))
save("relu_slope_max", relu_doc(x, negative_slope=0.3, max_value=1.7))
