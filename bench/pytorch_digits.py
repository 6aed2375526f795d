#!/usr/bin/env python3
"""The PyTorch side of the `train` benchmark (bench/ExperimentCluster.Bench): the same work on the same machine, one thread.

Per case: digits (1437 training rows, 360 validation rows, standardised on the training rows), an MLP with ReLU
hidden layers and a softmax cross-entropy head, plain SGD (lr 0.1), 20 epochs; each epoch reshuffles, trains every
mini-batch (the last one smaller, none dropped), then evaluates validation loss and accuracy. Samples per second =
training rows x epochs / wall seconds of the 20 epochs (after one warm-up epoch on a separate model); samples per
CPU second uses the process's processor time instead, which other load on a shared machine does not inflate.

usage: python3 bench/pytorch_digits.py [--data DIR] [--repeats N] [--json]
"""
import argparse
import csv
import json
import math
import os
import resource
import sys
import time

import torch

CASES = [([32], 32), ([128], 32), ([128, 128], 32), ([32], 256), ([128], 256), ([128, 128], 256)]


def load(data_dir):
    with open(os.path.join(data_dir, "digits.csv"), newline="") as f:
        rows = list(csv.reader(f))
    x = torch.tensor([[float(v) for v in r[:-1]] for r in rows[1:]], dtype=torch.float32)
    y = torch.tensor([int(r[-1]) for r in rows[1:]], dtype=torch.long)
    split_path = os.path.join(data_dir, "digits_split.json")
    if os.path.exists(split_path):
        with open(split_path) as f:
            split = json.load(f)
        train, val = torch.tensor(split["train"]), torch.tensor(split["val"])
    else:
        n = len(y)
        n_val = math.ceil(0.2 * n)
        perm = torch.randperm(n, generator=torch.Generator().manual_seed(0))
        train, val = perm[: n - n_val], perm[n - n_val:]
    xt, xv = x[train], x[val]
    mean, std = xt.mean(0), xt.std(0, unbiased=False)
    std[std == 0] = 1
    return (xt - mean) / std, y[train], (xv - mean) / std, y[val]


def model_for(layers):
    modules, width = [], 64
    for h in layers:
        modules += [torch.nn.Linear(width, h), torch.nn.ReLU()]
        width = h
    modules.append(torch.nn.Linear(width, 10))
    return torch.nn.Sequential(*modules)


def train(xt, yt, xv, yv, layers, batch, epochs, seed):
    torch.manual_seed(seed)
    model = model_for(layers)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = len(yt)
    last = None
    for _ in range(epochs):
        perm = torch.randperm(n)
        total = 0.0
        for start in range(0, n, batch):
            idx = perm[start:start + batch]
            xb, yb = xt[idx], yt[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        with torch.no_grad():
            out = model(xv)
            val_loss = loss_fn(out, yv).item()
            acc = (out.argmax(1) == yv).float().mean().item()
        last = (total / n, val_loss, acc)
    return last


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    xt, yt, xv, yv = load(args.data)
    results = []
    for layers, batch in CASES:
        train(xt, yt, xv, yv, layers, batch, 1, 1)  # warm-up
        best, best_cpu = math.inf, math.inf
        for r in range(args.repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            final = train(xt, yt, xv, yv, layers, batch, args.epochs, r)
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.process_time() - c0)
        sps = len(yt) * args.epochs / best
        results.append({"model": "-".join(map(str, [64] + layers + [10])), "batch_size": batch,
                        "samples_per_second": sps, "samples_per_cpu_second": len(yt) * args.epochs / best_cpu,
                        "val_accuracy": final[2], "val_loss": final[1]})
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "peak_rss_mb": peak_mb, "cases": results}))
    else:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, best of {args.repeats}")
        for r in results:
            print(f"{r['model']:>14} batch {r['batch_size']:>3}: {r['samples_per_second']:>10.0f} samples/s "
                  f"{r['samples_per_cpu_second']:>10.0f} per cpu-s  val_acc {r['val_accuracy']:.4f}")
        print(f"peak RSS {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
