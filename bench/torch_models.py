#!/usr/bin/python3
"""PyTorch side of bench/run_models.sh: the models of bench/models_bench.cpp, same output.

  torch_models.py <model> <seconds> [--threads N]

<model>: mlp, cnn, unet, lstm (training steps) or predict_mlp (inference on one sample, in µs).
--threads N calls torch.set_num_threads(N) (the "tuned" configuration; the caller sets
the environment: GLIBC_TUNABLES, OMP_WAIT_POLICY / OPENBLAS_NUM_THREADS, which must be in
place before torch loads). Without it torch keeps its defaults (OMP_NUM_THREADS, if set).

Same data as ours: uniform inputs, random labels, 4 distinct batches cycled; the step is
what a PyTorch user writes for these Keras scripts: zero_grad, forward in training mode,
cross-entropy on the logits (= softmax + categorical crossentropy), backward, the
optimizer's step, and the loss and accuracy read back as Python floats (Keras's
train_on_batch returns both). Warm-up (at least 5 steps and 10 % of <seconds>) excluded.
Run with Debian's /usr/bin/python3 (it sees python3-torch).
Output: key=value lines, as models_bench.
"""
import argparse
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# ---- the models (same layers as bench/models_bench.cpp; logits out, softmax in the loss) ----


def mnist_mlp():
    return nn.Sequential(
        nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(512, 10))


def mnist_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(),
        nn.Conv2d(32, 64, 3), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
        nn.Linear(64 * 12 * 12, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 10))


class RetinaUnet(nn.Module):
    """The retina U-Net (channels_first 48x48 patches), as examples/retina_unet.cpp."""

    def __init__(self, channels=1):
        super().__init__()

        def conv(cin, cout, k=3):
            return nn.Conv2d(cin, cout, k, padding=k // 2)

        self.c1a, self.c1b = conv(channels, 32), conv(32, 32)
        self.c2a, self.c2b = conv(32, 64), conv(64, 64)
        self.c3a, self.c3b = conv(64, 128), conv(128, 128)
        self.c4a, self.c4b = conv(64 + 128, 64), conv(64, 64)
        self.c5a, self.c5b = conv(32 + 64, 32), conv(32, 32)
        self.c6 = conv(32, 2, 1)
        self.drop = nn.Dropout(0.2)

    def forward(self, x):
        c1 = F.relu(self.c1b(self.drop(F.relu(self.c1a(x)))))
        c2 = F.relu(self.c2b(self.drop(F.relu(self.c2a(F.max_pool2d(c1, 2))))))
        c3 = F.relu(self.c3b(self.drop(F.relu(self.c3a(F.max_pool2d(c2, 2))))))
        u1 = torch.cat([c2, F.interpolate(c3, scale_factor=2, mode="nearest")], 1)
        c4 = F.relu(self.c4b(self.drop(F.relu(self.c4a(u1)))))
        u2 = torch.cat([c1, F.interpolate(c4, scale_factor=2, mode="nearest")], 1)
        c5 = F.relu(self.c5b(self.drop(F.relu(self.c5a(u2)))))
        c6 = F.relu(self.c6(c5))  # the tutorial's 1x1 conv has a relu too
        # Keras: Reshape((2, h*w)) + Permute((2, 1)) + softmax over the 2 classes; here the
        # (batch, 2, h*w) logits go to cross_entropy, whose class axis is 1.
        return c6.reshape(c6.shape[0], 2, -1)


class ImdbLstm(nn.Module):
    """Keras's imdb_lstm without its dropout: Embedding(20000, 128) - LSTM(128) - Dense(1);
    the logit goes to binary_cross_entropy_with_logits (= sigmoid + binary crossentropy)."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(20000, 128)
        self.lstm = nn.LSTM(128, 128, batch_first=True)
        self.dense = nn.Linear(128, 1)

    def forward(self, ids):
        _, (h, _) = self.lstm(self.embedding(ids))
        return self.dense(h[0])


# name: (model, optimizer, batch, input shape of one batch, classes, label shape)
def make(name):
    if name == "mlp":
        model = mnist_mlp()
        # Keras's RMSprop: rho 0.9, epsilon 1e-7, lr 1e-3.
        opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
        return model, opt, 128, (128, 784), 10, (128,)
    if name == "cnn":
        model = mnist_cnn()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        return model, opt, 128, (128, 1, 28, 28), 10, (128,)
    if name == "unet":
        model = RetinaUnet()
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        return model, opt, 32, (32, 1, 48, 48), 2, (32, 48 * 48)
    if name == "lstm":
        model = ImdbLstm()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        return model, opt, 32, (32, 80), 2, (32, 1)
    raise SystemExit(f"unknown model {name!r} (mlp, cnn, unet, lstm, predict_mlp)")


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def train(name, seconds):
    torch.manual_seed(1)
    model, opt, batch, x_shape, classes, label_shape = make(name)
    model.train()
    gen = torch.Generator().manual_seed(100)
    binary = name == "lstm"  # word ids in, one 0/1 label out
    if binary:
        xs = [torch.randint(0, 20000, x_shape, generator=gen) for _ in range(4)]
        ys = [torch.randint(0, 2, label_shape, generator=gen).float() for _ in range(4)]
    else:
        xs = [torch.rand(x_shape, generator=gen) for _ in range(4)]
        ys = [torch.randint(0, classes, label_shape, generator=gen) for _ in range(4)]

    def step(i):
        opt.zero_grad(set_to_none=True)
        logits = model(xs[i % 4])
        if binary:
            loss = F.binary_cross_entropy_with_logits(logits, ys[i % 4])
        else:
            loss = F.cross_entropy(logits, ys[i % 4])
        loss.backward()
        opt.step()
        with torch.no_grad():
            if binary:
                accuracy = ((logits > 0).float() == ys[i % 4]).float().mean()
            else:
                accuracy = (logits.argmax(1) == ys[i % 4]).float().mean()
        return loss.item(), accuracy.item()

    t_warm = time.perf_counter()
    warm = 0
    while warm < 5 or time.perf_counter() - t_warm < 0.1 * seconds:
        step(warm)
        warm += 1

    step_ms = []
    steps = 0
    t0 = time.perf_counter()
    elapsed = 0.0
    while elapsed < seconds:
        ts = time.perf_counter()
        step(steps)
        step_ms.append((time.perf_counter() - ts) * 1e3)
        steps += 1
        elapsed = time.perf_counter() - t0
    print(f"model={name}\nside=torch\nthreads={torch.get_num_threads()}\nbatch={batch}\n"
          f"warmup_steps={warm}\nsteps={steps}\nseconds={elapsed:.4f}")
    print(f"samples_per_s={batch * steps / elapsed:.3f}\nstep_ms_median={statistics.median(step_ms):.4f}")
    print(f"rss_mib={peak_rss_mib():.1f}")


def predict_mlp(seconds):
    torch.manual_seed(1)
    model = mnist_mlp()
    model.eval()
    x = torch.rand(1, 784)

    def fn():
        with torch.inference_mode():
            return torch.softmax(model(x), -1)  # Keras's model ends in softmax

    for _ in range(200):
        fn()
    samples = []
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 0.5 * seconds:
        t = time.perf_counter()
        for _ in range(100):
            fn()
        samples.append((time.perf_counter() - t) * 1e6 / 100)
    print(f"model=predict_mlp\nside=torch\nthreads={torch.get_num_threads()}\nbatch=1")
    print(f"us_per_call={statistics.median(samples):.3f}\nrss_mib={peak_rss_mib():.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("seconds", type=float)
    parser.add_argument("--threads", type=int)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.model == "predict_mlp":
        predict_mlp(args.seconds)
    else:
        train(args.model, args.seconds)


if __name__ == "__main__":
    main()
