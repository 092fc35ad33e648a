#!/usr/bin/python3
"""Golden values for tests/test_layers_rnn.cpp: float64 inputs and Keras-layout weights from a
seeded generator; the expected outputs come from PyTorch's nn.LSTM / nn.GRU / nn.RNN with the
weights mapped from Keras's layout, and from numpy where torch has no equivalent (GRU with
reset_after=False, Keras 3's rule for masked steps). Also one SGD step on each layer, and the
Keras 1 LSTM weight conversion on a real Keras 1.2.2 file.
Run: /usr/bin/python3 tests/golden/gen_rnn.py

Layout mapping. Keras stores kernel (input_dim, gates * units), recurrent_kernel (units,
gates * units) with the gate blocks along the last axis; torch stores weight_ih
(gates * units, input_dim) with the blocks along the first axis, so weight_ih = kernel.T when
the gate orders agree.
  LSTM: Keras i, f, c, o = torch i, f, g, o; torch has two biases, Keras one: bias_ih = bias,
        bias_hh = 0.
  GRU (reset_after=True): Keras z, r, h vs torch r, z, n; Keras bias (2, 3u) rows are torch's
        bias_ih and bias_hh. torch's n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) and
        h' = (1 - z) n + z h are Keras's reset_after formulas.
  SimpleRNN: weight_ih = kernel.T, bias_ih = bias, bias_hh = 0."""
import json
import os

import h5py
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "rnn")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20250301)

B, T, F, U = 3, 5, 4, 6
LR = 0.1


def save(name, a):
    a = np.asarray(a)
    dtype = np.bool_ if a.dtype == np.bool_ else np.float64
    np.save(os.path.join(out, name + ".npy"), np.ascontiguousarray(a, dtype=dtype))


def uniform(name, shape, lo=-1.0, hi=1.0):
    a = rng.uniform(lo, hi, shape)
    save(name, a)
    return a


def t(a):
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64))


def gru_to_torch(a, u):
    """Keras z, r, h blocks along the last axis -> torch r, z, n along the first."""
    z, r, h = a[..., :u], a[..., u:2 * u], a[..., 2 * u:]
    return np.concatenate([r, z, h], axis=-1).T


def torch_lstm(kernel, rec, bias, bidirectional_backward=None):
    m = torch.nn.LSTM(kernel.shape[0], U, batch_first=True,
                      bidirectional=bidirectional_backward is not None)
    with torch.no_grad():
        m.weight_ih_l0.copy_(t(kernel.T))
        m.weight_hh_l0.copy_(t(rec.T))
        m.bias_ih_l0.copy_(t(bias))
        m.bias_hh_l0.zero_()
        if bidirectional_backward is not None:
            k2, r2, b2 = bidirectional_backward
            m.weight_ih_l0_reverse.copy_(t(k2.T))
            m.weight_hh_l0_reverse.copy_(t(r2.T))
            m.bias_ih_l0_reverse.copy_(t(b2))
            m.bias_hh_l0_reverse.zero_()
    return m


def torch_gru(kernel, rec, bias):
    m = torch.nn.GRU(kernel.shape[0], U, batch_first=True)
    with torch.no_grad():
        m.weight_ih_l0.copy_(t(gru_to_torch(kernel, U)))
        m.weight_hh_l0.copy_(t(gru_to_torch(rec, U)))
        m.bias_ih_l0.copy_(t(gru_to_torch(bias[0], U)))
        m.bias_hh_l0.copy_(t(gru_to_torch(bias[1], U)))
    return m


def torch_rnn(kernel, rec, bias):
    m = torch.nn.RNN(kernel.shape[0], U, batch_first=True, nonlinearity="tanh")
    with torch.no_grad():
        m.weight_ih_l0.copy_(t(kernel.T))
        m.weight_hh_l0.copy_(t(rec.T))
        m.bias_ih_l0.copy_(t(bias))
        m.bias_hh_l0.zero_()
    return m


x = uniform("x", (B, T, F))
w_seq = uniform("w_seq", (B, T, U), 0.5, 1.5)  # loss weighting of the sequence output

# ---- LSTM -------------------------------------------------------------------------------
k = uniform("lstm_kernel", (F, 4 * U), -0.5, 0.5)
r = uniform("lstm_recurrent_kernel", (U, 4 * U), -0.5, 0.5)
b = uniform("lstm_bias", (4 * U,), -0.5, 0.5)
h0 = uniform("lstm_h0", (B, U))
c0 = uniform("lstm_c0", (B, U))
m = torch_lstm(k, r, b)
with torch.no_grad():
    y, (hn, cn) = m(t(x))
    save("lstm_seq", y.numpy())
    save("lstm_h", hn[0].numpy())
    save("lstm_c", cn[0].numpy())
    y0, (hn0, cn0) = m(t(x), (t(h0)[None], t(c0)[None]))
    save("lstm_init_seq", y0.numpy())
    save("lstm_init_c", cn0[0].numpy())
    yb, _ = m(t(x[:, ::-1]))  # go_backwards: the reversed sequence, outputs in that order
    save("lstm_backwards_seq", yb.numpy())
# One SGD step on loss = sum(sequence output * w_seq), mapped back to Keras's layout.
y, _ = m(t(x))
(y * t(w_seq)).sum().backward()
save("lstm_sgd_kernel", k - LR * m.weight_ih_l0.grad.numpy().T)
save("lstm_sgd_recurrent_kernel", r - LR * m.weight_hh_l0.grad.numpy().T)
save("lstm_sgd_bias", b - LR * m.bias_ih_l0.grad.numpy())

# ---- GRU, reset_after=True (torch's GRU) -----------------------------------------------
gk = uniform("gru_kernel", (F, 3 * U), -0.5, 0.5)
gr = uniform("gru_recurrent_kernel", (U, 3 * U), -0.5, 0.5)
gb = uniform("gru_bias", (2, 3 * U), -0.5, 0.5)
m = torch_gru(gk, gr, gb)
with torch.no_grad():
    y, hn = m(t(x))
    save("gru_seq", y.numpy())
    save("gru_h", hn[0].numpy())
y, _ = m(t(x))
(y * t(w_seq)).sum().backward()
save("gru_sgd_kernel", gk - LR * gru_to_torch(m.weight_ih_l0.grad.numpy().T, U).T)
save("gru_sgd_recurrent_kernel", gr - LR * gru_to_torch(m.weight_hh_l0.grad.numpy().T, U).T)
save("gru_sgd_bias", gb - LR * np.stack([gru_to_torch(m.bias_ih_l0.grad.numpy(), U),
                                         gru_to_torch(m.bias_hh_l0.grad.numpy(), U)]))


# ---- GRU, reset_after=False (Keras 2.2's default; numpy: torch has no such GRU) ----------
def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


gb1 = uniform("gru_v1_bias", (3 * U,), -0.5, 0.5)
h = np.zeros((B, U))
seq = []
for s in range(T):
    xs = x[:, s] @ gk + gb1
    z = sigmoid(xs[:, :U] + h @ gr[:, :U])
    rr = sigmoid(xs[:, U:2 * U] + h @ gr[:, U:2 * U])
    hh = np.tanh(xs[:, 2 * U:] + (rr * h) @ gr[:, 2 * U:])
    h = z * h + (1 - z) * hh
    seq.append(h)
save("gru_v1_seq", np.stack(seq, axis=1))

# ---- SimpleRNN ----------------------------------------------------------------------------
sk = uniform("rnn_kernel", (F, U), -0.5, 0.5)
sr = uniform("rnn_recurrent_kernel", (U, U), -0.5, 0.5)
sb = uniform("rnn_bias", (U,), -0.5, 0.5)
m = torch_rnn(sk, sr, sb)
with torch.no_grad():
    y, hn = m(t(x))
    save("rnn_seq", y.numpy())
y, _ = m(t(x))
(y * t(w_seq)).sum().backward()
save("rnn_sgd_kernel", sk - LR * m.weight_ih_l0.grad.numpy().T)
save("rnn_sgd_recurrent_kernel", sr - LR * m.weight_hh_l0.grad.numpy().T)
save("rnn_sgd_bias", sb - LR * m.bias_ih_l0.grad.numpy())

# ---- Masking ------------------------------------------------------------------------------
# Sample 0 has timesteps 1 and 3 masked, sample 1 the last two (padding), sample 2 none. Each
# sample's LSTM run on only its kept steps (torch) gives the final output; the sequence output
# follows Keras 3's rule: a masked step repeats the previous output (zeros before any).
mask = np.ones((B, T), dtype=bool)
mask[0, [1, 3]] = False
mask[1, 3:] = False
save("mask", mask)
xm = np.where(mask[:, :, None], x, 0.0)
save("x_masked", xm)
m = torch_lstm(k, r, b)
last, seq_out = [], []
with torch.no_grad():
    for i in range(B):
        kept = x[i][mask[i]]
        y, (hn, _) = m(t(kept)[None])
        last.append(hn[0, 0].numpy())
        prev, j, rows = np.zeros(U), 0, []
        for s in range(T):
            if mask[i, s]:
                prev = y[0, j].numpy()
                j += 1
            rows.append(prev)
        seq_out.append(np.stack(rows))
save("lstm_masked_h", np.stack(last))
save("lstm_masked_seq", np.stack(seq_out))

# ---- Bidirectional(LSTM), merge_mode concat: torch's bidirectional LSTM -----------------
k2 = uniform("lstm2_kernel", (F, 4 * U), -0.5, 0.5)
r2 = uniform("lstm2_recurrent_kernel", (U, 4 * U), -0.5, 0.5)
b2 = uniform("lstm2_bias", (4 * U,), -0.5, 0.5)
m = torch_lstm(k, r, b, bidirectional_backward=(k2, r2, b2))
with torch.no_grad():
    y, _ = m(t(x))
    save("bidi_concat_seq", y.numpy())

# ---- TimeDistributed(Dense) ---------------------------------------------------------------
dk = uniform("td_kernel", (F, 2))
db = uniform("td_bias", (2,))
save("td_y", np.einsum("btf,fu->btu", x, dk) + db)

# ---- Keras 1 LSTM weights (a Keras 1.2.2 file from DL4J's import tests) ---------------------
# Keras 1 stores 12 arrays W_i, U_i, b_i, W_c, U_c, b_c, W_f, U_f, b_f, W_o, U_o, b_o (the
# weight_names attribute's order); Keras 2.2.4's preprocess_weights_for_loading concatenates
# them in the order i, f, c, o.
src = os.path.join("/work/shared/keras-files/dl4j_simple_lstm_tf_keras_1")
with h5py.File(os.path.join(src, "simple_lstm_tf_keras_1_model.h5"), "r") as f:
    g = f["model_weights"]["lstm_1"]
    names = [n.decode() for n in g.attrs["weight_names"]]
    arrays = [np.asarray(g[n]) for n in names]
    dense = [np.asarray(f["model_weights"]["dense_1"][n.decode()])
             for n in f["model_weights"]["dense_1"].attrs["weight_names"]]
    config = json.loads(f.attrs["model_config"])
assert [n.split("_", 2)[-1].split(":")[0] for n in names] == \
    ["W_i", "U_i", "b_i", "W_c", "U_c", "b_c", "W_f", "U_f", "b_f", "W_o", "U_o", "b_o"]
for i, a in enumerate(arrays):
    save("keras1_lstm_%02d" % i, a)
W = {n.split("_", 2)[-1].split(":")[0]: a for n, a in zip(names, arrays)}
save("keras1_lstm_kernel", np.concatenate([W["W_i"], W["W_f"], W["W_c"], W["W_o"]], axis=-1))
save("keras1_lstm_recurrent_kernel", np.concatenate([W["U_i"], W["U_f"], W["U_c"], W["U_o"]], axis=-1))
save("keras1_lstm_bias", np.concatenate([W["b_i"], W["b_f"], W["b_c"], W["b_o"]], axis=-1))
save("keras1_dense_kernel", dense[0])
save("keras1_dense_bias", dense[1])
save("keras1_input", np.load(os.path.join(src, "input__lstm_input_1.npy")))
save("keras1_expected", np.load(os.path.join(src, "expected_output__dense_1.npy")))
with open(os.path.join(out, "keras1_lstm_config.json"), "w") as fh:
    json.dump(config["config"][0]["config"], fh, indent=1, sort_keys=True)
