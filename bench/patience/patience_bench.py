#!/usr/bin/env python3
"""Patience on a data set that overfits: the same TPE sweep on diabetes with and without the trainer's `patience`.

Each sweep runs in a fresh embedded silo (`excl run --data-dir`), one seed per sweep (the search's seed and the
trainer's); the figures come from `excl export --format json`: the lowest final validation loss of a completed run (with
patience: its best epoch's, whose weights it keeps) and the epochs the sweep trained. Usage, from the repository's root
after the main job has built excl:

    python3 bench/patience/patience_bench.py --seeds 0-9 --patience none,5,10
"""
import argparse, json, os, statistics, subprocess, sys, tempfile

EXCL = os.path.join(os.path.dirname(__file__), "..", "..", "src", "ExperimentCluster.Cli", "bin", "Release", "net10.0", "excl")

def sweep(seed, patience, trials, epochs):
    extra = "" if patience == "none" else f', "patience": {patience}'
    return f"""{{
      "name": "diabetes patience {patience} seed {seed}",
      "training": {{ "dataset": "diabetes", "layers": [64], "optimizer": "adam", "epochs": {epochs}{extra} }},
      "seeds": [{seed}],
      "search": {{ "strategy": "tpe", "trials": {trials}, "seed": {seed}, "space": {{
          "learning_rate": {{ "log_uniform": [0.0001, 0.1] }},
          "batch_size": {{ "values": [16, 32, 64] }},
          "weight_decay": {{ "log_uniform": [0.000001, 0.01] }} }} }},
      "concurrency": 1 }}"""

def run(seed, patience, trials, epochs):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "sweep.json")
        with open(path, "w") as f:
            f.write(sweep(seed, patience, trials, epochs))
        data = os.path.join(folder, "data")
        subprocess.run([EXCL, "run", path, "--id", "s", "--data-dir", data, "--slots", "1", "--json", "--out", os.path.join(folder, "out")],
                       check=True, stdout=subprocess.DEVNULL)
        out = os.path.join(folder, "export.json")
        subprocess.run([EXCL, "export", "s", "--format", "json", "--out", out, "--data-dir", data], check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            runs = json.load(f)["runs"]
    finals = [r["final_val_loss"] for r in runs if r["status"] == "completed" and r["final_val_loss"] is not None]
    return min(finals), sum(len(r["epochs"]) for r in runs)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", default="0-9")
    parser.add_argument("--patience", default="none,5,10")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=60)
    args = parser.parse_args()
    lo, _, hi = args.seeds.partition("-")
    seeds = range(int(lo), int(hi or lo) + 1)
    print(f"| patience | best final val loss (median over seeds {args.seeds}) | total epochs (median) | per seed (best / epochs) |")
    print("| --- | ---: | ---: | --- |")
    for patience in args.patience.split(","):
        figures = [run(s, patience, args.trials, args.epochs) for s in seeds]
        per_seed = "; ".join(f"{b:.4f} / {e}" for b, e in figures)
        print(f"| {patience} | {statistics.median(b for b, _ in figures):.4f} | {statistics.median(e for _, e in figures):.0f} | {per_seed} |", flush=True)

if __name__ == "__main__":
    sys.exit(main())
