#!/usr/bin/env python3
"""Does a sweep name a better learning rate on a small data set when its seeds validate on other rows?

A sweep of eight learning rates is simulated from single runs of the built-in trainer (`excl train --json`, one process
per run). The rates' true ranking is their mean final validation loss over `--splits` validation splits (data_seed 0,
1, ...) times three seeds (a rate that diverges anywhere ranks last, as the sweep's answer ranks a rate that diverged in
any seed). Then `--sweeps` sweeps of `--seeds` seeds are simulated per design, sweep d being:
  - fixed split: every seed validates on split d (a sweep without a setting, whose data_seed is d);
  - split per seed: seed i validates on split d + i (`split_per_seed: true`);
  - folds (with --folds): seed i validates on fold i of the K-fold cut of data_seed d's shuffle (`folds: K`, K = seeds).
Each design uses as many runs per rate as seeds and names the rate with the lowest mean over them, as the answer does.
The figures: how often it names the true best, a rate that diverges on other splits, a rate within 5 % of the best's
loss, and the mean excess loss of what it names. Usage, from the repository's root after the main job has built excl:

    python3 bench/split-per-seed/split_bench.py --datasets wine,iris,diabetes --splits 20 --seeds 3
    python3 bench/split-per-seed/split_bench.py --datasets wine,iris --splits 20 --seeds 5 --sweeps 10 --folds
"""
import argparse, functools, json, os, statistics, subprocess

EXCL = os.path.join(os.path.dirname(__file__), "..", "..", "src", "ExperimentCluster.Cli", "bin", "Release", "net10.0", "excl")
RATES = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1]
TRAINING = ["--layers", "16", "--epochs", "30", "--batch-size", "16", "--optimizer", "momentum"]
TRUTH_SEEDS = range(3)
INF = float("inf")

@functools.cache
def final_loss(dataset, rate, split, seed, folds=None, fold=None):
    rows = ["--data-seed", str(split)] + ([] if folds is None else ["--folds", str(folds), "--fold", str(fold)])
    out = subprocess.run([EXCL, "train", "--dataset", dataset, "--lr", str(rate), "--seed", str(seed), "--json", *rows, *TRAINING],
                         check=True, capture_output=True, text=True).stdout
    last = json.loads(out.strip().split("\n")[-1])
    return last["val_loss"] if last["status"] == "completed" else INF

def mean(values):
    values = list(values)
    return INF if INF in values else sum(values) / len(values)

def named_rate(dataset, cells):
    """cells: (split, seed, folds, fold) per run of one rate."""
    means = {rate: mean(final_loss(dataset, rate, *cell) for cell in cells) for rate in RATES}
    return min(means, key=means.get)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default="wine,iris,diabetes")
    parser.add_argument("--splits", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--sweeps", type=int, default=None, help="sweeps per design (default: --splits)")
    parser.add_argument("--folds", action="store_true", help="also the folds design, with K = --seeds")
    args = parser.parse_args()
    splits, seeds, sweeps = range(args.splits), range(args.seeds), range(args.sweeps or args.splits)
    for dataset in args.datasets.split(","):
        truth = {rate: mean(final_loss(dataset, rate, d, s) for d in splits for s in TRUTH_SEEDS) for rate in RATES}
        best = min(truth, key=truth.get)
        print(f"{dataset}: mean final validation loss over {args.splits} splits x {len(TRUTH_SEEDS)} seeds: "
              + ", ".join(f"{rate:g} {truth[rate]:.4f}" for rate in RATES), flush=True)
        designs = {
            "fixed split": lambda d: [(d, s) for s in seeds],
            "split per seed": lambda d: [((d + s) % args.splits, s) for s in seeds],
        }
        if args.folds:
            designs[f"{args.seeds} folds"] = lambda d: [(d, s, args.seeds, s) for s in seeds]
        for name, cells in designs.items():
            names = [named_rate(dataset, cells(d)) for d in sweeps]
            excess = [(truth[r] - truth[best]) / truth[best] for r in names]
            finite = [e for e in excess if e != INF]
            print(f"  {name}, {args.seeds} seeds: names the best ({best:g}) in {names.count(best)} of {len(names)}; a rate that diverges on other splits in "
                  f"{len(excess) - len(finite)}; within 5 % of the best's loss in {sum(e <= 0.05 for e in finite)}; "
                  f"mean excess loss of the rates named (those that do not diverge) {100 * statistics.mean(finite):.1f} %", flush=True)

if __name__ == "__main__":
    main()
