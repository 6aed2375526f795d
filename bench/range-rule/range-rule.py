#!/usr/bin/env python3
"""Which rule should read a learning-rate range-test curve?  A measurement.

For each data set (digits, wine, iris, breast_cancer) and optimizer (sgd, adam):
  1. grid: train the fixed model at 1e-4, 1e-3, ..., 10 with 3 seeds; the grid's best rate is the one with the lowest
     mean final validation loss (a diverged run, or a non-finite loss, counts as +inf, so a rate with any diverged seed
     is worst);
  2. range tests: `excl lr-find` over 1e-6..10 (lr-find's default) and 1e-4..100 (the lr-range strategy's range for
     the domain 1e-4..10), 100 steps, several seeds;
  3. rules: every candidate rule reads every curve (rates and smoothed losses, exactly as lr-find printed them) and is
     scored on whether its rate is within a decade (factor 10 either way) of the grid's best rate.

Standard library only. Runs every excl process one after another (no parallelism).
    python3 bench/range-rule/range-rule.py                       # uses `dotnet src/ExperimentCluster.Cli/bin/Release/net10.0/excl.dll`
    EXCL="dotnet run --project src/ExperimentCluster.Cli -c Release --" python3 bench/range-rule/range-rule.py
    python3 bench/range-rule/range-rule.py --from-json bench/range-rule/results.json   # re-score saved curves only
"""
import argparse
import json
import math
import os
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

DATASETS = {
    # name -> extra spec options.  digits has a built-in fixed split; the others a seeded 20 % validation split.
    "digits": ["--split-file", "digits_split"],
    "wine": ["--data-seed", "0"],
    "iris": ["--data-seed", "0"],
    "breast_cancer": ["--data-seed", "0"],
}
# The model every run uses (everything else is excl's default: standard scaling, float32, constant schedule,
# sgd momentum 0.9, adam betas 0.9/0.999, no weight decay, divergence factor 10).
MODEL = ["--layers", "32", "--activation", "relu", "--batch-size", "32", "--epochs", "30"]
OPTIMIZERS = ["sgd", "adam"]
GRID = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0]
GRID_SEEDS = [0, 1, 2]
RANGES = [(1e-6, 10.0), (1e-4, 100.0)]  # lr-find's default; lr-range's default for the domain 1e-4..10
RANGE_STEPS = 100
RANGE_SEEDS = [0, 1, 2, 3, 4]


def excl_command(arg):
    text = arg or os.environ.get("EXCL") or "dotnet src/ExperimentCluster.Cli/bin/Release/net10.0/excl.dll"
    return shlex.split(text)


def run_json(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{shlex.join(cmd)} failed ({p.returncode}): {p.stderr.strip()}")
    out = p.stdout
    return [json.loads(line) for line in out.splitlines() if line.strip().startswith("{")]


def train(excl, ds, extra, model, opt, lr, seed):
    lines = run_json(excl + ["train", "--dataset", ds] + extra + model
                     + ["--optimizer", opt, "--lr", repr(lr), "--seed", str(seed), "--json"])
    summary = lines[-1]
    epochs = [l.get("val_loss") for l in lines if "epoch" in l]
    val = summary.get("val_loss")
    ok = summary.get("status") == "completed" and val is not None and math.isfinite(val)
    return {"status": summary.get("status"), "val_loss": val if ok else None,
            "min_val_loss": min(v for v in epochs if v is not None and math.isfinite(v)) if ok else None,
            "val_accuracy": summary.get("val_accuracy"), "reason": summary.get("reason")}


def range_test(excl, ds, extra, model, opt, lo, hi, seed):
    lines = run_json(excl + ["lr-find", "--dataset", ds] + extra + model
                     + ["--optimizer", opt, "--seed", str(seed), "--start-lr", repr(lo), "--end-lr", repr(hi),
                        "--steps", str(RANGE_STEPS), "--json"])
    points = [l for l in lines if "learning_rate" in l]
    final = lines[-1]
    return {"rates": [p["learning_rate"] for p in points], "smoothed": [p["smoothed_loss"] for p in points],
            "losses": [p["loss"] for p in points],
            "cli_suggestion": final.get("suggested_learning_rate"), "reason": final.get("reason")}


# ---------------------------------------------------------------------------------------------------------------
# Rules.  Each takes rates r[0..n-1] (ascending, exponential) and smoothed losses s[0..n-1] exactly as the range test
# returned them (the test stops after adding the first point whose smoothed loss exceeds 4x the best so far, or before
# a non-finite raw loss), plus the requested step count; it returns one rate (NaN for an empty curve).

def argmin_first(s, lo=0, hi=None):
    hi = len(s) if hi is None else hi
    best = lo
    for i in range(lo + 1, hi):
        if s[i] < s[best]:
            best = i
    return best


def steepest_today(r, s, steps, window_div=20, floor_decades=2):
    """excl lr-find today (src/ExperimentCluster.Training/Engine/LrRangeSearch.cs, Suggest, at commit d34813e),
    optionally with another window (n // window_div points each side) or floor (decades below the minimum)."""
    n = len(r)
    if n == 0:
        return math.nan
    if n < 3:
        return r[0]
    lowest = argmin_first(s)
    window = max(1, n // window_div)
    floor = r[lowest] / 10 ** floor_decades
    steepest, steepest_slope = -1, 0.0
    for i in range(window, lowest - window + 1):
        if r[i] < floor:
            continue
        slope = (s[i + window] - s[i - window]) / (math.log10(r[i + window]) - math.log10(r[i - window]))
        if slope < steepest_slope:
            steepest_slope, steepest = slope, i
    if steepest < 0:
        return r[lowest] / 10
    return r[steepest]


def valley_div(divisor):
    """The lr-range strategy today (SuggestFromCurve) for divisor 10: the rate at the (first) lowest smoothed loss,
    divided by divisor."""
    def rule(r, s, steps):
        if not r:
            return math.nan
        return r[argmin_first(s)] / divisor
    return rule


def valley_div_after_startup(divisor):
    """As valley_div, but the lowest smoothed loss is looked for only from index floor(n / 10) on (n = the curve's
    points): the bias-corrected moving average's first points are single noisy batches, and one lucky first batch can
    sit below everything the test reaches later.  Never picks the last point of a curve stopped by the explosion
    check (that point is above 4x an earlier point)."""
    def rule(r, s, steps):
        n = len(r)
        if n == 0:
            return math.nan
        return r[argmin_first(s, n // 10)] / divisor
    return rule


def fastai_trim(r, s, steps):
    """fastai's lr_find hands its suggestion functions lrs[num_it//10:-5], losses[num_it//10:-5]."""
    a, b = steps // 10, len(r) - 5
    if b - a < 2:
        return None
    return r[a:b], s[a:b]


def fastai_valley(r, s, steps):
    """fastai.callback.schedule.valley on the trimmed curve: the longest strictly decreasing subsequence (O(n^2) DP),
    the rate at start + int(len/3) + int(len/6) of its index span.  Falls back to valley/10 on a too-short curve."""
    t = fastai_trim(r, s, steps)
    if t is None:
        return valley_div(10)(r, s, steps)
    lrs, losses = t
    n = len(losses)
    max_start, max_end = 0, 0
    lds = [1] * n
    for i in range(1, n):
        for j in range(0, i):
            if losses[i] < losses[j] and lds[i] < lds[j] + 1:
                lds[i] = lds[j] + 1
            if lds[max_end] < lds[i]:
                max_end = i
                max_start = max_end - lds[max_end]
    sections = (max_end - max_start) / 3
    idx = max_start + int(sections) + int(sections / 2)
    return lrs[idx]


def fastai_steep(r, s, steps):
    """fastai.callback.schedule.steep on the trimmed curve: left end of the steepest one-step fall per ln(rate)."""
    t = fastai_trim(r, s, steps)
    if t is None:
        return valley_div(10)(r, s, steps)
    lrs, losses = t
    grads = [(losses[i + 1] - losses[i]) / (math.log(lrs[i + 1]) - math.log(lrs[i])) for i in range(len(lrs) - 1)]
    return lrs[argmin_first(grads)]


RULES = [
    ("steepest (old lr-find)", lambda r, s, k: steepest_today(r, s, k)),
    ("valley/10 (old lr-range)", valley_div(10)),
    ("valley/10 after start-up (the rule)", valley_div_after_startup(10)),
    ("valley/3", valley_div(3)),
    ("valley/30", valley_div(30)),
    ("valley/100", valley_div(100)),
    ("fastai valley", fastai_valley),
    ("fastai steep", fastai_steep),
    ("steepest w=n/10", lambda r, s, k: steepest_today(r, s, k, window_div=10)),
]


def within_decade(rate, best):
    return rate > 0 and math.isfinite(rate) and abs(math.log10(rate / best)) <= 1 + 1e-9


def fmt(x):
    if x is None or not math.isfinite(x):
        return "inf" if x == math.inf else "—"
    return f"{x:.3g}"


# ---------------------------------------------------------------------------------------------------------------

def measure(excl, model, datasets, log):
    data = {"model": model, "datasets": datasets, "grid": GRID, "grid_seeds": GRID_SEEDS, "ranges": RANGES,
            "range_steps": RANGE_STEPS, "range_seeds": RANGE_SEEDS, "cases": []}
    t0 = time.time()
    for ds, extra in datasets.items():
        for opt in OPTIMIZERS:
            case = {"dataset": ds, "optimizer": opt, "grid_runs": {}, "curves": []}
            for lr in GRID:
                case["grid_runs"][repr(lr)] = [train(excl, ds, extra, model, opt, lr, seed) for seed in GRID_SEEDS]
            for lo, hi in RANGES:
                for seed in RANGE_SEEDS:
                    c = range_test(excl, ds, extra, model, opt, lo, hi, seed)
                    c.update({"start": lo, "end": hi, "seed": seed})
                    case["curves"].append(c)
            data["cases"].append(case)
            log(f"{ds}/{opt} measured ({time.time() - t0:.0f}s)")
    data["seconds"] = time.time() - t0
    return data


def grid_summary(case, key="val_loss"):
    """Mean over seeds per rate of the final validation loss (key "min_val_loss": the lowest of any epoch, as a
    sensitivity check); +inf where any seed diverged.  The best rate: lowest mean, the smaller rate on a tie."""
    means = {}
    for lr in GRID:
        runs = case["grid_runs"][repr(lr)]
        vals = [r[key] for r in runs]
        means[lr] = math.inf if any(v is None for v in vals) else sum(vals) / len(vals)
    best = min(GRID, key=lambda lr: (means[lr], lr))
    return means, best


def analyse(data):
    """The report of one configuration, and its per-rule tallies for the combined table."""
    out = []
    steps = data["range_steps"]
    # sanity: which Python rules reproduce the CLI's own suggestion on every curve (with the prebuilt excl: today's
    # steepest rule, so the copy here is exact)
    curves_all = [cv for c in data["cases"] for cv in c["curves"]]
    same = [name for name, rule in RULES
            if all(math.isclose(rule(cv["rates"], cv["smoothed"], steps), cv["cli_suggestion"], rel_tol=1e-12)
                   for cv in curves_all)]
    out.append(f"`excl lr-find`'s own suggestion equals the Python rule(s) {same or 'NONE'} on all "
               f"{len(curves_all)} curves.\n")

    ranges = [tuple(x) for x in data["ranges"]]
    out.append("## Grid: mean final validation loss over seeds " + ", ".join(map(str, data["grid_seeds"]))
               + " (inf = at least one seed diverged; best in bold)\n")
    out.append("| data set | optimizer | " + " | ".join(fmt(lr) for lr in GRID)
               + " | best | best by lowest val loss of any epoch |")
    out.append("|---|---|" + "---|" * (len(GRID) + 2))
    for c in data["cases"]:
        means, best = grid_summary(c)
        _, best_any = grid_summary(c, "min_val_loss")
        out.append(f"| {c['dataset']} | {c['optimizer']} | " + " | ".join(
            ("**" + fmt(means[lr]) + "**") if lr == best else fmt(means[lr]) for lr in GRID)
            + f" | {fmt(best)} | {fmt(best_any)} |")

    # tally[name][bucket] = [hits, total]; buckets: all, per optimizer, per range, "cases" (a case = data set,
    # optimizer, range: a hit when every seed is within), "any-epoch" (against the any-epoch best), "worst" (decades)
    tally = {name: {"worst": [0.0, 0]} for name, _ in RULES}

    def add(name, bucket, hit):
        h = tally[name].setdefault(bucket, [0, 0])
        h[0] += hit
        h[1] += 1

    out.append("\n## Suggestions: median suggested rate over the range-test seeds; ✓ all seeds within a decade of "
               "the grid's best, ✗ none, ~ some (hits/seeds)\n")
    for lo, hi in ranges:
        out.append(f"\n### range {fmt(lo)}..{fmt(hi)}, {steps} steps, seeds "
                   + ", ".join(map(str, data["range_seeds"])) + "\n")
        out.append("| data set | opt | grid best | rate at min smoothed loss | "
                   + " | ".join(n for n, _ in RULES) + " |")
        out.append("|---|---|---|---|" + "---|" * len(RULES))
        for c in data["cases"]:
            _, best = grid_summary(c)
            _, best_any = grid_summary(c, "min_val_loss")
            curves = [cv for cv in c["curves"] if (cv["start"], cv["end"]) == (lo, hi)]
            mins = sorted(cv["rates"][argmin_first(cv["smoothed"])] for cv in curves)
            cells = []
            for name, rule in RULES:
                sugg = [rule(cv["rates"], cv["smoothed"], steps) for cv in curves]
                hits = 0
                for x in sugg:
                    hit = within_decade(x, best)
                    hits += hit
                    for bucket in ("all", c["optimizer"], "range %s..%s" % (fmt(lo), fmt(hi))):
                        add(name, bucket, hit)
                    add(name, "any-epoch", within_decade(x, best_any))
                    distance = abs(math.log10(x / best)) if x > 0 else math.inf
                    tally[name]["worst"][0] = max(tally[name]["worst"][0], distance)
                add(name, "cases", hits == len(sugg))
                med = sorted(sugg)[len(sugg) // 2]
                mark = "✓" if hits == len(sugg) else ("✗" if hits == 0 else "~")
                cells.append(f"{fmt(med)} {mark} {hits}/{len(sugg)}")
            out.append(f"| {c['dataset']} | {c['optimizer']} | {fmt(best)} | "
                       f"{fmt(mins[0])}..{fmt(mins[-1])} | " + " | ".join(cells) + " |")

    out.append("\n## Score: curves whose suggestion is within a decade of the grid's best\n")
    out.append(score_table(tally, ["range %s..%s" % (fmt(lo), fmt(hi)) for lo, hi in ranges]))
    return "\n".join(out), tally


def score_table(tally, extra_buckets=()):
    buckets = ["all"] + OPTIMIZERS + list(extra_buckets)
    out = ["| rule | " + " | ".join(buckets) + " | (data set, optimizer, range) with every seed within | "
           "worst distance (decades) | all, against the best by lowest val loss of any epoch |",
           "|---|" + "---|" * (len(buckets) + 3)]
    for name, _ in RULES:
        t = tally[name]
        out.append(f"| {name} | " + " | ".join(f"{t[b][0]}/{t[b][1]}" for b in buckets)
                   + f" | {t['cases'][0]}/{t['cases'][1]} | {t['worst'][0]:.2f} | {t['any-epoch'][0]}/{t['any-epoch'][1]} |")
    return "\n".join(out)


# name -> (hidden layer widths, validation-split seed of wine, iris and breast_cancer).  h32 is the measurement; the
# other two check that its conclusion holds for a wider network and for another validation split.
CONFIGS = {"h32": ("32", 0), "h64": ("64", 0), "h32-data-seed-1": ("32", 1)}


def header(data):
    return ("Model: " + " ".join(data["model"]) + "; data: "
            + "; ".join(f"{k} {' '.join(v)}" for k, v in data["datasets"].items())
            + "; optimizers " + ", ".join(OPTIMIZERS) + " (excl defaults: sgd momentum 0.9, adam 0.9/0.999); "
            + "grid " + ", ".join(fmt(x) for x in data["grid"]) + f". Took {data.get('seconds', 0):.0f} s.\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--excl", help="command that runs excl (default: $EXCL or `dotnet src/ExperimentCluster.Cli/bin/Release/net10.0/excl.dll`)")
    ap.add_argument("--configs", default=",".join(CONFIGS),
                    help="which configurations to run, of " + ", ".join(CONFIGS) + " (default: all)")
    ap.add_argument("--rescore", action="store_true",
                    help="re-score the saved results/<config>/results.json instead of running excl")
    ap.add_argument("--out", default=os.path.join(HERE, "results"), help="output folder (default: ./results)")
    args = ap.parse_args()
    names = [n for n in args.configs.split(",") if n]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        ap.error(f"unknown configuration(s) {unknown}")
    excl = excl_command(args.excl)
    total = None
    sections = []
    for name in names:
        folder = os.path.join(args.out, name)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "results.json")
        if args.rescore:
            with open(path) as f:
                data = json.load(f)
        else:
            hidden, data_seed = CONFIGS[name]
            model = ["--layers", hidden] + MODEL[2:]
            datasets = {ds: (extra if ds == "digits" else ["--data-seed", str(data_seed)])
                        for ds, extra in DATASETS.items()}
            data = measure(excl, model, datasets, lambda m: print(f"{name}: {m}", file=sys.stderr, flush=True))
            with open(path, "w") as f:
                json.dump(data, f)
        report, tally = analyse(data)
        with open(os.path.join(folder, "RESULTS.md"), "w") as f:
            f.write(f"# Range-test rules, configuration {name} (generated by range-rule.py)\n\n{header(data)}\n{report}\n")
        sections.append(f"## Configuration {name}\n\n{header(data)}\nDetails: results/{name}/RESULTS.md\n\n"
                        + report.split("## Score")[1].split("\n", 1)[1])
        if total is None:
            total = tally
        else:
            for rule, buckets in tally.items():
                for b, (h, t) in buckets.items():
                    if b == "worst":
                        total[rule][b][0] = max(total[rule][b][0], h)
                    else:
                        total[rule].setdefault(b, [0, 0])
                        total[rule][b][0] += h
                        total[rule][b][1] += t
    combined = ("## All configurations together (" + ", ".join(names) + ")\n\n" + score_table(total) + "\n")
    with open(os.path.join(args.out, "RESULTS.md"), "w") as f:
        f.write("# Range-test rule measurement (generated by range-rule.py)\n\n" + combined + "\n"
                + "\n\n".join(sections) + "\n")
    print(combined)


if __name__ == "__main__":
    main()
