#!/usr/bin/python3
"""Optuna 3.1 (Debian's python3-optuna) driving this project's trainer through `excl train --json`, on the space and
data of `excl bench search --space split`, so that its figures stand beside bench/SEARCH_RESULTS.md's.

One study per (setup, seed); one trial at a time; one `excl` process per trial, read line by line: every epoch is
reported to Optuna as step = epoch, and a pruned trial's process is killed at once, so only the epochs it trained count.
Each finished study appends one JSON line to --results; the table is built from those lines (--table-only rebuilds it
from the file without training anything). See README.md.
"""
import argparse
import json
import math
import os
import subprocess
import sys
from multiprocessing import Pool

import optuna

THRESHOLD = 0.06
DEFAULT_EXCL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "ExperimentCluster.Cli",
                            "bin", "Release", "net10.0", "excl.dll")

# The setups, named as `excl bench search --setups`: sampler and pruner, each with Optuna's defaults.
SETUPS = {
    "random": (lambda seed: optuna.samplers.RandomSampler(seed=seed), lambda: optuna.pruners.NopPruner()),
    "random-asha": (lambda seed: optuna.samplers.RandomSampler(seed=seed), lambda: optuna.pruners.SuccessiveHalvingPruner()),
    "tpe-hyperband": (lambda seed: optuna.samplers.TPESampler(seed=seed), lambda: optuna.pruners.HyperbandPruner()),
    "tpe-median": (lambda seed: optuna.samplers.TPESampler(seed=seed), lambda: optuna.pruners.MedianPruner()),
    "tpe": (lambda seed: optuna.samplers.TPESampler(seed=seed), lambda: optuna.pruners.NopPruner()),
}


def train_command(excl, params, seed, epochs):
    """The `excl train` line of one trial: digits with the built-in split, pixels / 16, plain SGD (as SearchBenchmark.cs)."""
    return ["dotnet", excl, "train", "--json", "--dataset", "digits", "--split-file", "digits_split",
            "--scaling", "divide", "--scale-divisor", "16", "--optimizer", "sgd", "--epochs", str(epochs),
            "--seed", str(seed), "--lr", repr(params["learning_rate"]), "--hidden-layers", str(params["hidden_layers"]),
            "--neurons", str(params["neurons"]), "--batch-size", str(params["batch_size"]),
            "--activation", params["activation"]]


def suggest(trial):
    """The space of `--space split`."""
    return {
        "learning_rate": trial.suggest_float("learning_rate", 1e-4, 1.0, log=True),
        "hidden_layers": trial.suggest_int("hidden_layers", 1, 3),
        "neurons": trial.suggest_categorical("neurons", [16, 32, 64, 128]),
        "batch_size": trial.suggest_categorical("batch_size", [16, 32, 64, 128]),
        "activation": trial.suggest_categorical("activation", ["relu", "tanh"]),
    }


def number(value):
    return math.nan if value is None else float(value)


def run_study(task):
    setup, seed, trials, epochs, excl = task
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    sampler, pruner = SETUPS[setup]
    study = optuna.create_study(study_name=f"{setup}-{seed}", sampler=sampler(seed), pruner=pruner(), direction="minimize")
    runs = []  # per trial, in order: (state, epochs trained, last value)

    def objective(trial):
        params = suggest(trial)
        process = subprocess.Popen(train_command(excl, params, seed, epochs), stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        trained, last, diverged = 0, math.nan, False
        try:
            for line in process.stdout:
                record = json.loads(line)
                if "status" in record:
                    diverged = record["status"] == "diverged"
                    break
                trained = record["epoch"]
                last = number(record["val_loss"])
                if not math.isfinite(last):
                    diverged = True  # the trainer's guard ends the run; a non-finite value is no observation
                    continue
                trial.report(last, trained)
                if trial.should_prune():
                    runs.append(("pruned", trained, last))
                    process.kill()  # stop training now: the epochs after the pruning step are not spent
                    raise optuna.TrialPruned()
            process.wait()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        if diverged:
            # Ended as pruned, not failed: TPE ignores failed trials and proposes the same diverging region again (a first
            # version returned NaN, a failed trial, and `tpe` seed 2 then diverged 43 times of 60); a pruned trial ranks
            # last by its last reported value, and the pruners never compare with it.
            runs.append(("diverged", trained, last))
            raise optuna.TrialPruned()
        if process.returncode != 0 or trained == 0:
            raise RuntimeError(f"excl train failed ({process.returncode}): {' '.join(train_command(excl, params, seed, epochs))}")
        runs.append(("completed", trained, last))
        return last

    study.optimize(objective, n_trials=trials, catch=())
    return {"setup": setup, "seed": seed, "trials": trials, "max_epochs": epochs, **figures(runs), "runs": runs}


def figures(runs):
    """The definitions of bench/SEARCH_RESULTS.md: best last value over completed or pruned runs (diverged excluded),
    every epoch trained, and the epochs consumed when the first finished run ended below THRESHOLD (runs are sequential)."""
    best, total, to_threshold = math.inf, 0, None
    for state, trained, last in runs:
        total += trained
        if state != "diverged" and math.isfinite(last):
            best = min(best, last)
            if to_threshold is None and last < THRESHOLD:
                to_threshold = total
    return {"best": best if math.isfinite(best) else None, "total_epochs": total, "to_threshold": to_threshold}


def median(values):
    """The median; None (never reached) counts as larger than any value, as in SearchBenchmark.cs."""
    ordered = sorted(math.inf if v is None else v for v in values)
    mid = len(ordered) // 2
    m = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return None if math.isinf(m) else m


def mean(values):
    return None if any(v is None for v in values) else sum(values) / len(values)


def show(value, digits=0):
    return "never" if value is None else f"{value:.{digits}f}"


def table(results, setups):
    lines = [f"| setup | best final val loss (median / mean) | total epochs (median / mean) | epochs until a run ends below {THRESHOLD} (median / mean) | per seed (seed: best / epochs / to {THRESHOLD}) |",
             "| --- | ---: | ---: | ---: | --- |"]
    for setup in setups:
        rows = sorted((r for r in results if r["setup"] == setup), key=lambda r: r["seed"])
        if not rows:
            continue
        best = [r["best"] for r in rows]
        total = [r["total_epochs"] for r in rows]
        reach = [r["to_threshold"] for r in rows]
        per_seed = "; ".join(f"{r['seed']}: {show(r['best'], 4)} / {r['total_epochs']} / {show(r['to_threshold'])}" for r in rows)
        lines.append(f"| {setup} | {show(median(best), 4)} / {show(mean(best), 4)} | {show(median(total))} / {show(mean(total))} "
                     f"| {show(median(reach))} / {show(mean(reach))} | {per_seed} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description="Optuna driving `excl train --json` (bench/optuna/README.md)")
    parser.add_argument("--seeds", default="0,1,2,3,4,5,6,7,8,9", help="sweep seeds, comma-separated (sampler and trainer seed)")
    parser.add_argument("--setups", default=",".join(SETUPS), help="setups, comma-separated: " + ", ".join(SETUPS))
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--epochs", type=int, default=27)
    parser.add_argument("--jobs", type=int, default=1, help="studies at once (each study still runs one trial at a time)")
    parser.add_argument("--excl", default=DEFAULT_EXCL, help="the built excl.dll (dotnet build src/ExperimentCluster.Cli -c Release)")
    parser.add_argument("--results", default="optuna-results.jsonl", help="JSON lines, one per finished study (appended)")
    parser.add_argument("--table-only", action="store_true", help="only print the table of the studies already in --results")
    args = parser.parse_args()

    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    setups = [s.strip() for s in args.setups.split(",") if s.strip()]
    unknown = [s for s in setups if s not in SETUPS]
    if unknown:
        sys.exit(f"--setups: unknown setup(s) {', '.join(unknown)} (known: {', '.join(SETUPS)})")
    if not args.table_only:
        if not os.path.isfile(args.excl):
            sys.exit(f"--excl: {args.excl} does not exist; build it with `dotnet build src/ExperimentCluster.Cli -c Release`")
        tasks = [(setup, seed, args.trials, args.epochs, args.excl) for setup in setups for seed in seeds]
        with Pool(args.jobs) as pool, open(args.results, "a", encoding="utf-8") as out:
            for result in pool.imap_unordered(run_study, tasks):
                out.write(json.dumps(result) + "\n")
                out.flush()
                print(f"{result['setup']} seed {result['seed']}: best {show(result['best'], 4)}, {result['total_epochs']} epochs, "
                      f"below {THRESHOLD} after {show(result['to_threshold'])}", flush=True)
    with open(args.results, encoding="utf-8") as stored:
        results = [json.loads(line) for line in stored if line.strip()]
    # the latest line per (setup, seed) counts, and only the seeds asked for
    latest = {(r["setup"], r["seed"]): r for r in results if r["seed"] in seeds}
    print(table(list(latest.values()), setups))


if __name__ == "__main__":
    main()
