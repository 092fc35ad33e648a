#!/usr/bin/python3
"""Golden values for tests/test_losses.cpp: float64 inputs from a seeded generator and the
per-sample losses and their reductions computed independently here with numpy / torch
(Keras 3's formulas, keras/src/losses/losses.py and loss.py).
Run: /usr/bin/python3 tests/golden/gen_losses.py"""
import os

import numpy as np
import torch
import torch.nn.functional as F

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "losses")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240901)
EPS = 1e-7


def save(name, a):
    a = np.asarray(a)
    dtype = np.int64 if a.dtype.kind in "iu" else (np.bool_ if a.dtype == np.bool_ else np.float64)
    np.save(os.path.join(out, name + ".npy"), np.ascontiguousarray(a, dtype=dtype))


B = 4
yt = rng.uniform(-1, 1, (B, 3)); save("yt", yt)
yp = rng.uniform(-1.5, 1.5, (B, 3)); save("yp", yp)
ytp = rng.uniform(0.05, 1.0, (B, 3)); save("yt_pos", ytp)
ypp = rng.uniform(0.05, 1.0, (B, 3)); save("yp_pos", ypp)
ybin = rng.integers(0, 2, (B, 3)).astype(np.float64); save("y_bin", ybin)
pbin = rng.uniform(0.05, 0.95, (B, 3)); save("p_bin", pbin)
lbin = rng.uniform(-3, 3, (B, 3)); save("l_bin", lbin)
ysp = rng.integers(0, 5, (B,)); save("y_sparse", ysp)
ycat = np.eye(5)[ysp]; save("y_cat", ycat)
lcat = rng.uniform(-2, 2, (B, 5)); save("l_cat", lcat)
pcat = rng.uniform(0.05, 1.0, (B, 5)); save("p_cat", pcat)  # unnormalised: Keras rescales
sw = rng.uniform(0.2, 2.0, (B,)); save("sw", sw)
mask = np.array([True, False, True, True]); save("mask", mask)

per_sample = {}
per_sample["mse"] = np.mean((yt - yp) ** 2, -1)
per_sample["mae"] = np.mean(np.abs(yt - yp), -1)
per_sample["mape"] = 100 * np.mean(np.abs((yt - yp) / np.maximum(np.abs(yt), EPS)), -1)
per_sample["msle"] = np.mean((np.log(np.maximum(ypp, EPS) + 1) - np.log(np.maximum(ytp, EPS) + 1)) ** 2, -1)
e = yp - yt
per_sample["huber"] = np.mean(np.where(np.abs(e) <= 0.7, 0.5 * e ** 2, 0.7 * np.abs(e) - 0.5 * 0.7 ** 2), -1)
per_sample["log_cosh"] = np.mean(np.log(np.cosh(e)), -1)
s = 2 * ybin - 1
per_sample["hinge"] = np.mean(np.maximum(1 - s * yp, 0), -1)
per_sample["squared_hinge"] = np.mean(np.maximum(1 - s * yp, 0) ** 2, -1)
per_sample["categorical_hinge"] = np.maximum(np.max((1 - ycat) * lcat, -1) - np.sum(ycat * lcat, -1) + 1, 0)
t = np.clip(ytp, EPS, 1); p = np.clip(ypp, EPS, 1)
per_sample["kl_divergence"] = np.sum(t * np.log(t / p), -1)
per_sample["poisson"] = np.mean(ypp - ytp * np.log(ypp + EPS), -1)
nt = yt / np.linalg.norm(yt, axis=-1, keepdims=True); npd = yp / np.linalg.norm(yp, axis=-1, keepdims=True)
per_sample["cosine_similarity"] = -np.sum(nt * npd, -1)
# Binary crossentropy: probabilities (clipped) and logits (torch), with label smoothing 0.2.
ls = 0.2
ybs = ybin * (1 - ls) + 0.5 * ls
pc = np.clip(pbin, EPS, 1 - EPS)
per_sample["bce"] = np.mean(-(ybin * np.log(pc) + (1 - ybin) * np.log(1 - pc)), -1)
per_sample["bce_ls"] = np.mean(-(ybs * np.log(pc) + (1 - ybs) * np.log(1 - pc)), -1)
per_sample["bce_logits"] = F.binary_cross_entropy_with_logits(
    torch.from_numpy(lbin), torch.from_numpy(ybin), reduction="none").numpy().mean(-1)
per_sample["bce_logits_ls"] = F.binary_cross_entropy_with_logits(
    torch.from_numpy(lbin), torch.from_numpy(ybs), reduction="none").numpy().mean(-1)
# Categorical: probabilities rescaled then clipped; logits via torch's cross_entropy.
pn = np.clip(pcat / pcat.sum(-1, keepdims=True), EPS, 1 - EPS)
ycs = ycat * (1 - ls) + ls / 5
per_sample["cce"] = -np.sum(ycat * np.log(pn), -1)
per_sample["cce_ls"] = -np.sum(ycs * np.log(pn), -1)
per_sample["cce_logits"] = F.cross_entropy(torch.from_numpy(lcat), torch.from_numpy(ysp), reduction="none").numpy()
per_sample["cce_logits_ls"] = F.cross_entropy(torch.from_numpy(lcat), torch.from_numpy(ysp), reduction="none",
                                              label_smoothing=ls).numpy()
per_sample["scce"] = per_sample["cce"]
per_sample["scce_logits"] = per_sample["cce_logits"]
# Binary focal crossentropy (gamma 2, class balancing alpha 0.25), from probabilities.
bce_el = -(ybin * np.log(pc) + (1 - ybin) * np.log(1 - pc))
p_t = ybin * pbin + (1 - ybin) * (1 - pbin)
focal = (1 - p_t) ** 2 * bce_el
per_sample["bfce"] = np.mean(focal, -1)
per_sample["bfce_balanced"] = np.mean((ybin * 0.25 + (1 - ybin) * 0.75) * focal, -1)

for name, v in per_sample.items():
    save(name + "_none", v)
    save(name + "_sobs", v.sum() / v.size)
    save(name + "_sum", v.sum())
    save(name + "_sobs_w", (v * sw).sum() / v.size)
    save(name + "_mws_w", (v * sw).sum() / sw.sum())
    m = mask.astype(np.float64)
    # Keras's apply_mask for mean-type reductions: masked out, mean over the valid entries.
    save(name + "_masked_sobs", (v * m).sum() / m.sum())
    save(name + "_masked_sum_w", (v * m * sw).sum())

# sparse_categorical_crossentropy with ignore_class: labels with a 'void' class 0.
ysp_ign = ysp.copy(); ysp_ign[[0, 2]] = 0
save("y_sparse_ign", ysp_ign)
v = F.cross_entropy(torch.from_numpy(lcat), torch.from_numpy(ysp_ign), reduction="none").numpy()
valid = ysp_ign != 0
save("scce_ignore_none", np.where(valid, v, 0.0))
save("scce_ignore_sobs", np.where(valid, v, 0.0).sum() / valid.sum())
