#!/usr/bin/env python3
"""Does `split_per_seed` make a learning-rate sweep name a better rate on a small data set?

A sweep of eight learning rates with three seeds is simulated from single runs of the built-in trainer (`excl train
--json`, one process per run): every rate is trained on `--splits` validation splits (data_seed 0, 1, ...) with each of
the seeds. The rates' true ranking is their mean final validation loss over all of them (a rate that diverges anywhere
ranks last, as the sweep's answer ranks a rate that diverged in any seed). Then, for each split d:
  - fixed split: the sweep's three seeds all validate on split d (a sweep without the setting, data_seed d);
  - split per seed: seed i validates on split d + i (a sweep with the setting: each seed its own rows).
Both use the same three runs per rate; each names the rate with the lowest mean over its three, as the answer does. The
figures: how often it names the true best, a rate that diverges on other splits, a rate within 5 % of the best's loss,
and the mean excess loss of what it names. Usage, from the repository's root after the main job has built excl:

    python3 bench/split-per-seed/split_bench.py --datasets wine,iris,diabetes --splits 20 --seeds 3
"""
import argparse, json, os, statistics, subprocess

EXCL = os.path.join(os.path.dirname(__file__), "..", "..", "src", "ExperimentCluster.Cli", "bin", "Release", "net10.0", "excl")
RATES = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1]
TRAINING = ["--layers", "16", "--epochs", "30", "--batch-size", "16", "--optimizer", "momentum"]
INF = float("inf")

def final_loss(dataset, rate, split, seed):
    out = subprocess.run([EXCL, "train", "--dataset", dataset, "--lr", str(rate), "--data-seed", str(split), "--seed", str(seed), "--json", *TRAINING],
                         check=True, capture_output=True, text=True).stdout
    last = json.loads(out.strip().split("\n")[-1])
    return last["val_loss"] if last["status"] == "completed" else INF

def mean(values):
    values = list(values)
    return INF if INF in values else sum(values) / len(values)

def named_rate(loss, cells):
    means = {rate: mean(loss[(d, s, rate)] for d, s in cells) for rate in RATES}
    return min(means, key=means.get)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default="wine,iris,diabetes")
    parser.add_argument("--splits", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    splits, seeds = range(args.splits), range(args.seeds)
    for dataset in args.datasets.split(","):
        loss = {(d, s, rate): final_loss(dataset, rate, d, s) for d in splits for s in seeds for rate in RATES}
        truth = {rate: mean(loss[(d, s, rate)] for d in splits for s in seeds) for rate in RATES}
        best = min(truth, key=truth.get)
        print(f"{dataset}: mean final validation loss over {args.splits} splits x {args.seeds} seeds: "
              + ", ".join(f"{rate:g} {truth[rate]:.4f}" for rate in RATES))
        designs = {
            "fixed split": [named_rate(loss, [(d, s) for s in seeds]) for d in splits],
            "split per seed": [named_rate(loss, [((d + s) % args.splits, s) for s in seeds]) for d in splits],
        }
        for name, names in designs.items():
            excess = [(truth[r] - truth[best]) / truth[best] for r in names]
            finite = [e for e in excess if e != INF]
            print(f"  {name}: names the best ({best:g}) in {names.count(best)} of {args.splits}; a rate that diverges on other splits in "
                  f"{len(excess) - len(finite)}; within 5 % of the best's loss in {sum(e <= 0.05 for e in finite)}; "
                  f"mean excess loss of the rates named (those that do not diverge) {100 * statistics.mean(finite):.1f} %")

if __name__ == "__main__":
    main()
