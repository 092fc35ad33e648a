#!/usr/bin/python3
"""Golden values for tests/test_optimizers.cpp: Keras 3's optimizer update rules and
learning-rate schedules written out here in numpy from the formulas (semantics.md §2), run
for 5 steps on small variables with fixed per-step gradients. Where PyTorch's optimizer
does the same maths (SGD, RMSprop, Adagrad, Adadelta, Adamax and Adam/AdamW, with
epsilon 0 where Keras adds epsilon elsewhere), the numpy rules are cross-checked against
torch.optim.
Run: /usr/bin/python3 tests/golden/gen_optimizers.py"""
import math
import os

import numpy as np
import torch

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizers")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240911)
STEPS = 5


def save(name, a):
    np.save(os.path.join(out, name + ".npy"), np.ascontiguousarray(np.asarray(a, dtype=np.float64)))


# Shared data: a (2, 3) variable and a (3,) variable, one gradient per step for each.
x0 = rng.uniform(-1.0, 1.0, (2, 3))
y0 = rng.uniform(-1.0, 1.0, (3,))
gx = rng.uniform(-1.0, 1.0, (STEPS + 1, 2, 3))  # one extra step for accumulation
gy = rng.uniform(-1.0, 1.0, (STEPS + 1, 3))
save("x0", x0)
save("y0", y0)
save("gx", gx)
save("gy", gy)


# ---- update rules: rule(state, g, theta, lr, t) -> new theta (state updated in place) ----

def sgd(momentum=0.0, nesterov=False):
    def rule(s, g, th, lr, t):
        if momentum == 0:
            return th - lr * g
        m = s.get("m", np.zeros_like(th))
        m = momentum * m - lr * g
        s["m"] = m
        return th + (momentum * m - lr * g if nesterov else m)
    return rule


def rmsprop(rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    def rule(s, g, th, lr, t):
        v = rho * s.get("v", np.zeros_like(th)) + (1 - rho) * g * g
        s["v"] = v
        if centered:
            a = rho * s.get("a", np.zeros_like(th)) + (1 - rho) * g
            s["a"] = a
            d = v - a * a + epsilon
        else:
            d = v + epsilon
        inc = lr * g / np.sqrt(d)
        if momentum > 0:
            mom = momentum * s.get("mom", np.zeros_like(th)) + inc
            s["mom"] = mom
            return th - mom
        return th - inc
    return rule


def adam(beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    def rule(s, g, th, lr, t):
        alpha = lr * math.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        m = s.get("m", np.zeros_like(th))
        v = s.get("v", np.zeros_like(th))
        m = m + (g - m) * (1 - beta_1)
        v = v + (g * g - v) * (1 - beta_2)
        s["m"], s["v"] = m, v
        if amsgrad:
            v = np.maximum(s.get("vhat", np.zeros_like(th)), v)
            s["vhat"] = v
        return th - alpha * m / (np.sqrt(v) + epsilon)
    return rule


def adagrad(initial_accumulator_value=0.1, epsilon=1e-7):
    def rule(s, g, th, lr, t):
        acc = s.get("acc", np.full_like(th, initial_accumulator_value)) + g * g
        s["acc"] = acc
        return th - lr * g / np.sqrt(acc + epsilon)
    return rule


def adadelta(rho=0.95, epsilon=1e-7):
    def rule(s, g, th, lr, t):
        eg = rho * s.get("eg", np.zeros_like(th)) + (1 - rho) * g * g
        ed = s.get("ed", np.zeros_like(th))
        delta = -np.sqrt(ed + epsilon) / np.sqrt(eg + epsilon) * g
        s["eg"], s["ed"] = eg, rho * ed + (1 - rho) * delta * delta
        return th + lr * delta
    return rule


def adamax(beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    def rule(s, g, th, lr, t):
        m = s.get("m", np.zeros_like(th))
        m = m + (g - m) * (1 - beta_1)
        u = np.maximum(beta_2 * s.get("u", np.zeros_like(th)), np.abs(g))
        s["m"], s["u"] = m, u
        return th - lr * m / ((1 - beta_1 ** t) * (u + epsilon))
    return rule


def nadam(beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    # The momentum product is per optimizer step; with one variable per run it can live in
    # the per-variable state (the runner shares it when there are two variables).
    def rule(s, g, th, lr, t):
        u_t = beta_1 * (1 - 0.5 * 0.96 ** t)
        u_t1 = beta_1 * (1 - 0.5 * 0.96 ** (t + 1))
        prod = s["shared"]["u_product"]  # already multiplied by u_t for this step
        m = s.get("m", np.zeros_like(th))
        v = s.get("v", np.zeros_like(th))
        m = m + (g - m) * (1 - beta_1)
        v = v + (g * g - v) * (1 - beta_2)
        s["m"], s["v"] = m, v
        m_hat = u_t1 * m / (1 - prod * u_t1) + (1 - u_t) * g / (1 - prod)
        v_hat = v / (1 - beta_2 ** t)
        return th - lr * m_hat / (np.sqrt(v_hat) + epsilon)
    rule.before = lambda shared, t: shared.__setitem__(
        "u_product", shared.get("u_product", 1.0) * beta_1 * (1 - 0.5 * 0.96 ** t))
    return rule


def lion(beta_1=0.9, beta_2=0.99):
    def rule(s, g, th, lr, t):
        m = s.get("m", np.zeros_like(th))
        arg = beta_1 * m + (1 - beta_1) * g
        assert np.all(np.abs(arg) > 1e-4), "Lion golden: sign argument too close to 0"
        s["m"] = beta_2 * m + (1 - beta_2) * g
        return th - lr * np.sign(arg)
    return rule


# ---- the apply() sequence of semantics.md §2.1 ----

def run(rule, thetas, grads, lr=0.01, schedule=None, weight_decay=None, clipnorm=None,
        clipvalue=None, global_clipnorm=None, constraint=None, loss_scale_factor=None,
        steps=STEPS, ema=None, accumulation=None):
    """Returns the variables after each apply() call: a list (per variable) of arrays
    shaped (steps, *variable shape); with ema, also the moving averages."""
    thetas = [np.array(t, dtype=np.float64) for t in thetas]
    states = [dict() for _ in thetas]
    shared = {}
    for s in states:
        s["shared"] = shared
    history = [[] for _ in thetas]
    avg_history = [[] for _ in thetas]
    averages = [np.zeros_like(t) for t in thetas]
    accumulators = [np.zeros_like(t) for t in thetas]
    raw = 0  # the apply() count
    for k in range(steps):
        gs = [np.array(g[k], dtype=np.float64) for g in grads]
        if loss_scale_factor is not None:
            gs = [g / loss_scale_factor for g in gs]
        iterations = raw // accumulation if accumulation else raw

        def update(gs):
            cur_lr = schedule(raw) if schedule else lr
            if clipnorm:
                gs = [g * clipnorm / max(np.sqrt(np.sum(g * g)), clipnorm) for g in gs]
            elif global_clipnorm:
                n = math.sqrt(sum(np.sum(g * g) for g in gs))
                gs = [g * global_clipnorm * min(1 / n, 1 / global_clipnorm) for g in gs]
            elif clipvalue:
                gs = [np.clip(g, -clipvalue, clipvalue) for g in gs]
            if weight_decay is not None:
                for i in range(len(thetas)):
                    thetas[i] = thetas[i] - thetas[i] * weight_decay * cur_lr
            t = iterations + 1
            if hasattr(rule, "before"):
                rule.before(shared, t)
            for i in range(len(thetas)):
                thetas[i] = rule(states[i], gs[i], thetas[i], cur_lr, t)

        if accumulation:
            if (raw + 1) % accumulation == 0:
                update([(g + a) / accumulation for g, a in zip(gs, accumulators)])
                accumulators = [np.zeros_like(a) for a in accumulators]
            else:
                accumulators = [g + a for g, a in zip(gs, accumulators)]
        else:
            update(gs)
        if ema is not None:
            momentum, overwrite = ema
            mom = 0.0 if iterations == 0 else momentum
            averages = [mom * a + (1 - mom) * th for a, th in zip(averages, thetas)]
            if overwrite and (iterations + 1) % overwrite == 0:
                thetas = [a.copy() for a in averages]
        if constraint is not None:
            thetas = [constraint(th) for th in thetas]
        raw += 1
        for i in range(len(thetas)):
            history[i].append(thetas[i].copy())
            avg_history[i].append(averages[i].copy())
    result = [np.stack(h) for h in history]
    if ema is not None:
        return result, [np.stack(h) for h in avg_history]
    return result


def case(name, rule, **kw):
    (hx,) = run(rule, [x0], [gx], **kw)
    save(name, hx)
    return hx


# ---- cases (each saved as <name>.npy: the (2, 3) variable after each of the 5 steps) ----
case("sgd", sgd(), lr=0.1)
case("sgd_momentum", sgd(momentum=0.9), lr=0.1)
case("sgd_nesterov", sgd(momentum=0.9, nesterov=True), lr=0.1)
case("rmsprop", rmsprop(), lr=0.01)
case("rmsprop_centered", rmsprop(centered=True), lr=0.01)
case("rmsprop_momentum_centered", rmsprop(momentum=0.5, centered=True), lr=0.01)
case("adam", adam(), lr=0.01)
case("adam_amsgrad", adam(amsgrad=True), lr=0.01)
case("adamw", adam(), lr=0.01, weight_decay=0.1)
case("adam_weight_decay", adam(), lr=0.01, weight_decay=0.05)
case("adagrad", adagrad(), lr=0.1)
case("adadelta", adadelta(), lr=1.0)
case("adamax", adamax(), lr=0.01)
case("nadam", nadam(), lr=0.01)
case("lion", lion(), lr=0.01)
case("sgd_clipnorm", sgd(), lr=0.1, clipnorm=0.5)
case("sgd_clipvalue", sgd(), lr=0.1, clipvalue=0.3)
# Loss scaling: the gradients arrive 4x larger (the test scales gx) and are divided back.
(hx,) = run(sgd(momentum=0.9), [x0], [gx * 4.0], lr=0.1, loss_scale_factor=4.0)
save("sgd_loss_scale", hx)
case("sgd_nonneg", sgd(), lr=0.3, constraint=lambda w: np.maximum(w, 0.0))


def exp_decay(step):  # ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
    return 0.1 * 0.5 ** (step / 2)


case("sgd_exp_decay", sgd(momentum=0.5), schedule=exp_decay)
# Adam under a schedule: the bias correction and the decay both see the step.
case("adam_exp_decay", adam(), schedule=exp_decay)

# Global norm clipping across two variables.
hx, hy = run(sgd(), [x0, y0], [gx, gy], lr=0.1, global_clipnorm=0.8)
save("sgd_global_clipnorm_x", hx)
save("sgd_global_clipnorm_y", hy)
# Nadam on two variables: one momentum product per step, shared.
hx, hy = run(nadam(), [x0, y0], [gx, gy], lr=0.01)
save("nadam2_x", hx)
save("nadam2_y", hy)

# EMA: momentum 0.9, overwrite every 3 steps.
(hx,), (ax,) = run(sgd(), [x0], [gx], lr=0.1, ema=(0.9, 3))
save("sgd_ema_x", hx)
save("sgd_ema_average", ax)
(hx,), (ax,) = run(adam(), [x0], [gx], lr=0.01, ema=(0.9, None))
save("adam_ema_x", hx)
save("adam_ema_average", ax)

# Gradient accumulation over 2 steps, 6 apply() calls (3 updates).
(hx,) = run(sgd(momentum=0.9), [x0], [gx], lr=0.1, accumulation=2, steps=6)
save("sgd_accumulate", hx)
(hx,) = run(adam(), [x0], [gx], lr=0.01, accumulation=2, steps=6)
save("adam_accumulate", hx)


# ---- cross-checks against torch.optim where the maths coincide ----

def torch_run(make, steps=STEPS):
    p = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    opt = make([p])
    hist = []
    for k in range(steps):
        p.grad = torch.tensor(gx[k], dtype=torch.float64)
        opt.step()
        hist.append(p.detach().numpy().copy())
    return np.stack(hist)


def check(name, ours, theirs, tol=1e-10):
    err = np.max(np.abs(ours - theirs))
    assert err < tol, f"{name}: numpy rule differs from torch by {err}"


check("sgd", case("_tmp", sgd(), lr=0.1), torch_run(lambda p: torch.optim.SGD(p, lr=0.1)))
check("sgd_momentum", case("_tmp", sgd(momentum=0.9), lr=0.1),
      torch_run(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)))
check("sgd_nesterov", case("_tmp", sgd(momentum=0.9, nesterov=True), lr=0.1),
      torch_run(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True)))
check("rmsprop", case("_tmp", rmsprop(epsilon=0.0), lr=0.01),
      torch_run(lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=0.0)))
check("rmsprop_momentum_centered", case("_tmp", rmsprop(momentum=0.5, centered=True, epsilon=0.0), lr=0.01),
      torch_run(lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=0.0, momentum=0.5, centered=True)))
check("adam", case("_tmp", adam(epsilon=0.0), lr=0.01),
      torch_run(lambda p: torch.optim.Adam(p, lr=0.01, eps=0.0)))
check("adam_amsgrad", case("_tmp", adam(epsilon=0.0, amsgrad=True), lr=0.01),
      torch_run(lambda p: torch.optim.Adam(p, lr=0.01, eps=0.0, amsgrad=True)))
check("adamw", case("_tmp", adam(epsilon=0.0), lr=0.01, weight_decay=0.1),
      torch_run(lambda p: torch.optim.AdamW(p, lr=0.01, eps=0.0, weight_decay=0.1)))
check("adagrad", case("_tmp", adagrad(epsilon=0.0), lr=0.1),
      torch_run(lambda p: torch.optim.Adagrad(p, lr=0.1, initial_accumulator_value=0.1, eps=0.0)))
check("adadelta", case("_tmp", adadelta(), lr=1.0),
      torch_run(lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.95, eps=1e-7)))
check("adamax", case("_tmp", adamax(epsilon=0.0), lr=0.01),
      torch_run(lambda p: torch.optim.Adamax(p, lr=0.01, eps=0.0)))
# NAdam is not cross-checked: this torch (1.13) computes mu_product_next as
# mu_product * mu * mu_next, counting mu twice (fixed in later torch releases).
os.remove(os.path.join(out, "_tmp.npy"))


# ---- schedules: values at steps 0..12 ----
steps = np.arange(13)
save("sched_steps", steps)
save("sched_exponential", [0.1 * 0.9 ** (s / 3) for s in steps])
save("sched_exponential_staircase", [0.1 * 0.9 ** math.floor(s / 3) for s in steps])
save("sched_inverse_time", [0.1 / (1 + 0.5 * s / 2.0) for s in steps])
save("sched_inverse_time_staircase", [0.1 / (1 + 0.5 * math.floor(s / 2.0)) for s in steps])
boundaries, values = [3, 7], [1.0, 0.5, 0.1]
save("sched_piecewise", [values[0] if s <= 3 else (values[1] if s <= 7 else values[2]) for s in steps])


def poly(s, lr0=0.1, d=5, end=0.01, power=2.0, cycle=False):
    if cycle:
        d = d * (1.0 if s == 0 else math.ceil(s / d))
    else:
        s = min(s, d)
    return (lr0 - end) * (1 - s / d) ** power + end


save("sched_polynomial", [poly(s) for s in steps])
save("sched_polynomial_cycle", [poly(s, cycle=True) for s in steps])


def cosine(s, lr0=0.1, d=8, alpha=0.1, target=None, warm=0):
    def decay(s, frm):
        return frm * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * s / d)) + alpha)
    if target is None:
        return decay(min(s, d), lr0)
    s = min(s, d + warm)
    if s < warm:
        return (target - lr0) * s / warm + lr0
    return decay(s - warm, target)


save("sched_cosine", [cosine(s) for s in steps])
save("sched_cosine_warmup", [cosine(s, lr0=0.0, target=0.2, warm=3) for s in steps])


def sgdr(s, lr0=0.1, first=3, t_mul=2.0, m_mul=0.5, alpha=0.05):
    frac = s / first
    if t_mul == 1.0:
        i = math.floor(frac)
        frac -= i
    else:
        i = math.floor(math.log(1 - frac * (1 - t_mul)) / math.log(t_mul))
        sum_r = (1 - t_mul ** i) / (1 - t_mul)
        frac = (frac - sum_r) / t_mul ** i
    cos = 0.5 * m_mul ** i * (1 + math.cos(math.pi * frac))
    return lr0 * ((1 - alpha) * cos + alpha)


save("sched_cosine_restarts", [sgdr(s) for s in steps])
save("sched_cosine_restarts_tmul1", [sgdr(s, t_mul=1.0) for s in steps])

# Cross-check the restart schedule against an explicit period walk.
for s in steps:
    first, t_mul, m_mul = 3, 2.0, 0.5
    start, length, i = 0.0, float(first), 0
    while s >= start + length:
        start += length
        length *= t_mul
        i += 1
    frac = (s - start) / length
    expect = 0.1 * ((1 - 0.05) * 0.5 * m_mul ** i * (1 + math.cos(math.pi * frac)) + 0.05)
    assert abs(expect - sgdr(s)) < 1e-12, (s, expect, sgdr(s))
print("wrote", out)
