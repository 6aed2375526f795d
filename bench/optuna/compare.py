#!/usr/bin/python3
"""This project's search figures beside Optuna's, per setup and range of seeds: `excl bench search --runs FILE` lines on
one side, `optuna_bench.py --results FILE` lines on the other (both hold setup, seed, best, total_epochs, to_threshold).

Per setup, range and figure it prints the two medians (and means), the ratio of the medians with a 95 % bootstrap
interval, and on how many seeds this project's figure is the lower. The two tools draw different trials for the same
seed, so the bootstrap resamples the seeds of each side on its own; the interval says whether a ten-seed difference
could be the draws. See README.md.
"""
import argparse
import json
import math
import random
import statistics

FIGURES = (("best", "best final val loss"), ("total_epochs", "total epochs"), ("to_threshold", "epochs until a run ends below 0.06"))


def load(paths):
    """The latest line per (setup, seed) of the files, as {setup: {seed: line}}."""
    latest = {}
    for path in paths:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    record = json.loads(line)
                    latest.setdefault(record["setup"], {})[record["seed"]] = record
    return latest


def value(record, figure):
    """A figure of one sweep; never reaching the threshold (or no best) counts as larger than any number."""
    v = record[figure]
    return math.inf if v is None or (isinstance(v, float) and math.isnan(v)) else v


def interval(ours, theirs, draws=4000, seed=12):
    ratios = []
    rng = random.Random(seed)
    for _ in range(draws):
        a = statistics.median(rng.choices(ours, k=len(ours)))
        b = statistics.median(rng.choices(theirs, k=len(theirs)))
        ratios.append(math.inf if math.isinf(a) or math.isinf(b) or b == 0 else a / b)
    ratios.sort()
    return ratios[int(0.025 * draws)], ratios[int(0.975 * draws) - 1]


def show(v, digits):
    return "never" if math.isinf(v) else f"{v:.{digits}f}"


def mean(values):
    return math.inf if any(math.isinf(v) for v in values) else statistics.fmean(values)


def main():
    parser = argparse.ArgumentParser(description="excl bench search --runs beside optuna_bench.py --results (bench/optuna/README.md)")
    parser.add_argument("--excl", nargs="+", required=True, help="files written by `excl bench search --runs`")
    parser.add_argument("--optuna", nargs="+", required=True, help="files written by optuna_bench.py --results")
    parser.add_argument("--setups", default="tpe,tpe-median,tpe-hyperband,random-asha",
                        help="this project's setups, comma-separated; NAME=OPTUNA compares NAME with Optuna's setup OPTUNA")
    parser.add_argument("--ranges", default="0-9,10-19,20-79,0-79", help="seed ranges, comma-separated, each FIRST-LAST")
    args = parser.parse_args()

    ours, theirs = load(args.excl), load(args.optuna)
    print("| setup | seeds | figure | excl: median (mean) | Optuna: median (mean) | ratio of medians [95 % interval] | excl lower on |")
    print("| --- | --- | --- | ---: | ---: | --- | ---: |")
    for item in args.setups.split(","):
        name, _, other = item.strip().partition("=")
        other = other or name
        for span in args.ranges.split(","):
            first, last = (int(s) for s in span.split("-"))
            seeds = [s for s in range(first, last + 1) if s in ours.get(name, {}) and s in theirs.get(other, {})]
            if len(seeds) < last - first + 1:
                missing = last - first + 1 - len(seeds)
                print(f"| {name} | {span} | {missing} seeds missing on one side | | | | |")
                continue
            for figure, label in FIGURES:
                a = [value(ours[name][s], figure) for s in seeds]
                b = [value(theirs[other][s], figure) for s in seeds]
                digits = 4 if figure == "best" else 1
                ma, mb = statistics.median(a), statistics.median(b)
                low, high = interval(a, b)
                ratio = "-" if math.isinf(ma) or math.isinf(mb) else f"{ma / mb:.3f} [{low:.2f}, {high:.2f}]"
                lower = sum(x < y for x, y in zip(a, b))
                print(f"| {name}{'' if other == name else ' vs ' + other} | {span} | {label} | {show(ma, digits)} ({show(mean(a), digits)}) "
                      f"| {show(mb, digits)} ({show(mean(b), digits)}) | {ratio} | {lower} of {len(seeds)} |")


if __name__ == "__main__":
    main()
