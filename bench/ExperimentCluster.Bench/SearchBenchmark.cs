using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ExperimentCluster.Cli;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Contracts;
using ExperimentCluster.Contracts.Json;

namespace ExperimentCluster.Bench;

/// <summary>
/// `search`: the measured results of issue 6. On digits with the fixed split (pixels divided by 16), plain
/// SGD, learning rate log-uniform 1e-4..1, 1 to 3 hidden layers of 16/32/64/128 neurons, batch size 16/32/64/128,
/// relu or tanh, 60 trials of at most 27 epochs, it runs random without stopping, random + ASHA, TPE + Hyperband and
/// TPE + median for each sweep seed (one after another, in an embedded silo), plus two references (TPE without stopping,
/// lr-range + ASHA), and reports per setup the medians over
/// the seeds of: the best final validation loss, the total epochs consumed, and the epochs consumed until a finished
/// run first ended below the threshold (0.06). `--markdown FILE` also writes the table with the goals' verdicts.
/// </summary>
public static class SearchBenchmark
{
    private const double Threshold = 0.06;

    /// <summary>The issue's network space as two parameters (the default, `--space split`): depth as an integer range and
    /// width as a list, which the trainer's hidden_layers and neurons options turn into layers. TPE then models depth and
    /// width each on its own, as the issue states the space.</summary>
    private const string SplitSpace = """
        "hidden_layers": { "int": [1, 3] },
              "neurons": { "values": [16, 32, 64, 128] }
        """;

    /// <summary>The same networks as one list of the 12 shapes (`--space shapes`): random draws the same distribution, but
    /// TPE sees one 12-way category.</summary>
    private static readonly string ShapesSpace = "\"layers\": { \"values\": [" + string.Join(", ",
        from depth in new[] { 1, 2, 3 }
        from width in new[] { 16, 32, 64, 128 }
        select "[" + string.Join(",", Enumerable.Repeat(width, depth)) + "]") + "] }";

    private static readonly Setup[] AllSetups =
    [
        new("random", "random", "none", "{}", "{}"),
        new("random-asha", "random", "asha", "{}", """{ "min_epochs": 1, "reduction_factor": 3 }"""),
        new("tpe-hyperband", "tpe", "hyperband", "{}", """{ "min_epochs": 1, "reduction_factor": 3 }"""),
        new("tpe-median", "tpe", "median", "{}", "{}"),
        // Issue 12: the median rule's first definition (running averages of every trial that reported the epoch), kept as
        // `mode: legacy`; the default is now Optuna's.
        new("tpe-median-legacy", "tpe", "median", "{}", """{ "mode": "legacy" }"""),
        // Issue 12: ASHA with Optuna's SuccessiveHalvingPruner defaults (reduction factor 4: rungs 1, 4, 16).
        new("random-asha-eta4", "random", "asha", "{}", """{ "min_epochs": 1, "reduction_factor": 4 }"""),
        // Not one of the issue's four: TPE training every trial to the end. With the trial count fixed, a stopping rule only
        // removes epochs, so this is the reference for what TPE + a rule can reach at best (up to the noise of its history).
        new("tpe", "tpe", "none", "{}", "{}"),
        // Not one of the issue's four: the learning rate bounded by one range test per architecture, with ASHA on top.
        new("lr-range-asha", "lr-range", "asha", "{}", """{ "min_epochs": 1, "reduction_factor": 3 }"""),
        // Issue 12: the Gaussian-process strategy, every trial trained to the end (compare with `tpe` at small budgets).
        new("gp", "gp", "none", "{}", "{}"),
        // The same on the raw losses instead of their logarithm: the measurement behind gp's default `objective`.
        new("gp-raw", "gp", "none", """{ "objective": "raw" }""", "{}"),
        // Its start-up as independent draws instead of a Latin hypercube (TPE: `--tpe-settings '{"startup": "random"}'`).
        new("gp-random-startup", "gp", "none", """{ "startup": "random" }""", "{}"),
        // Its lists of numbers (batch size, width) one-hot, as Optuna encodes them, instead of one ordered column each.
        new("gp-categorical-lists", "gp", "none", """{ "numeric_lists": "categorical" }""", "{}"),
        // No rule across runs: each run ends by itself once 3 epochs bring no lower validation loss (the trainer's
        // patience), ranked by its best epoch, whose weights it keeps.
        new("tpe-patience", "tpe", "none", "{}", "{}", ", \"patience\": 3"),
        new("random-patience", "random", "none", "{}", "{}", ", \"patience\": 3"),
    ];

    public static Command Create()
    {
        var seeds = CliOptions.TextWithDefault("--seeds", "0,1,2", "the sweep seeds, comma-separated: each setup runs once per seed", "n,n,...");
        var trials = CliOptions.Int("--trials", 60, "trials of each sweep");
        var epochs = CliOptions.Int("--epochs", 27, "the most epochs of a run");
        var concurrency = CliOptions.Int("--concurrency", 2, "runs of a sweep training at once");
        var setups = CliOptions.TextWithDefault("--setups", string.Join(",", AllSetups.Select(s => s.Name)), "the setups to run, comma-separated", "name,...");
        var markdown = CliOptions.Text("--markdown", "also write the table and the goals' verdicts to this file", "none", "file");
        var dataDir = CliOptions.Text("--data-dir", "the embedded silo's data folder", "a new temporary folder", "dir");
        var slots = CliOptions.Int("--slots", "the embedded silo's training slots", "the number of cores");
        var space = CliOptions.TextWithDefault("--space", "split", "the networks as depth and width (split) or as 12 shapes (shapes)", "split|shapes");
        var runsFile = CliOptions.Text("--runs", "also append one JSON line per sweep to this file: its figures and every run in trial order (status, epochs, last value, config), as bench/optuna/optuna_bench.py --results writes Optuna's", "none", "file");
        var tpeSettings = CliOptions.Text("--tpe-settings", "the settings of the TPE setups' strategy, as a JSON object (issue 12: multivariate, constant_liar, startup)", "{}", "json");
        var command = new Command("search", "search strategies and early stopping on digits with the fixed split (bench/SEARCH_RESULTS.md)")
        {
            seeds, trials, epochs, concurrency, setups, markdown, dataDir, slots, space, tpeSettings, runsFile,
        };
        command.SetAction(parse => RunAsync(
            parse.GetRequiredValue(seeds), parse.GetValue(trials), parse.GetValue(epochs), parse.GetValue(concurrency),
            parse.GetRequiredValue(setups), parse.GetValue(markdown), parse.GetRequiredValue(space), parse.GetValue(tpeSettings), parse.GetValue(runsFile),
            new ConnectionSettings
            {
                DataDir = parse.GetValue(dataDir) ?? Path.Combine(Path.GetTempPath(), "excl-search-" + Guid.NewGuid().ToString("N")[..8]),
                Slots = parse.GetValue(slots),
            },
            string.Join(' ', parse.Tokens.Select(t => t.Value))));
        return command;
    }

    private static async Task<int> RunAsync(string seedList, int trials, int epochs, int concurrency, string setupList, string? markdown,
        string spaceName, string? tpeSettings, string? runsFile, ConnectionSettings settings, string commandLine)
    {
        var seeds = seedList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new CliException($"--seeds: '{s}' is not a whole number")).ToList();
        var names = setupList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var networks = spaceName switch
        {
            "split" => SplitSpace,
            "shapes" => ShapesSpace,
            _ => throw new CliException($"--space: '{spaceName}' is not split or shapes"),
        };
        if (seeds.Count == 0) throw new CliException("--seeds: give at least one seed");
        if (trials < 1 || epochs < 1 || concurrency < 1) throw new CliException("--trials, --epochs and --concurrency: must be at least 1");
        var setups = names.Select(n => AllSetups.FirstOrDefault(s => s.Name == n)
            ?? throw new CliException($"--setups: unknown setup '{n}' (known: {string.Join(", ", AllSetups.Select(s => s.Name))})"))
            .Select(s => s.Strategy == "tpe" && tpeSettings is not null ? s with { StrategySettings = tpeSettings } : s).ToList();

        await using var connection = await Connection.OpenAsync(settings, trains: true, CancellationToken.None);

        Console.WriteLine($"digits (fixed split, /16), SGD, networks as {spaceName}, {trials} trials of at most {epochs} epochs, concurrency {concurrency}, sweep seeds {string.Join(",", seeds)}; {Environment.ProcessorCount} cores");
        var clock = Stopwatch.StartNew();
        var results = new List<(Setup Setup, List<SweepFigures> PerSeed)>();
        foreach (var setup in setups)
        {
            var perSeed = new List<SweepFigures>();
            foreach (var seed in seeds)
            {
                var id = $"search-{setup.Name}-{seed}";
                var figures = await MeasureAsync(connection, id, SweepJson(setup, seed, trials, epochs, concurrency, networks));
                perSeed.Add(figures);
                if (runsFile is not null)
                    await File.AppendAllTextAsync(runsFile, ExclJson.Line(new SweepRunsLine(setup.Name, seed, figures.BestFinal, figures.TotalEpochs, figures.EpochsToThreshold, figures.PerRun)) + Environment.NewLine);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {setup.Name,-14} seed {seed}: best {figures.BestFinal:F4} (any epoch {figures.BestAny:F4}), {figures.TotalEpochs} epochs, below {Threshold} after {Show(figures.EpochsToThreshold)} epochs, {figures.Runs} runs ({figures.Wall.TotalSeconds:F0} s; {clock.Elapsed.TotalMinutes:F1} min so far)"));
            }
            results.Add((setup, perSeed));
        }

        var table = Table(results);
        Console.WriteLine();
        Console.WriteLine(table);
        if (markdown is not null)
        {
            var command = "dotnet run --project bench/ExperimentCluster.Bench -c Release -- " + commandLine;
            await File.WriteAllTextAsync(markdown, Markdown(command, seeds, trials, epochs, concurrency, spaceName, clock.Elapsed, table, results));
            Console.WriteLine($"wrote {markdown}");
        }
        return 0;
    }

    private static async Task<SweepFigures> MeasureAsync(Connection connection, string id, string json)
    {
        var watch = Stopwatch.StartNew();
        var grain = connection.Grains.Sweep(id);
        var submitted = await grain.SubmitAsync(json);
        if (submitted.Error is not null)
            throw new CliException(submitted.Error);
        while ((await grain.GetState())!.Status == SweepStatus.Running)
            await Task.Delay(200);
        var wall = watch.Elapsed;

        var results = (await grain.GetResultsAsync())!;
        var runs = results.Leaderboard.ToDictionary(r => r.Number);
        // The sweep's events are the completion order: every epoch report of a running run, then one event per finished
        // run (whose last epoch, if any, came with it). Replaying them gives the epochs consumed at each finish.
        var events = new List<SweepEvent>();
        long after = 0;
        while (true)
        {
            var page = (await grain.GetEventsAsync(after, 10_000))!;
            if (page.Dropped > 0)
                throw new CliException($"sweep {id}: {page.Dropped} events were dropped; the bench needs them all");
            if (page.Events.Count == 0)
                break;
            events.AddRange(page.Events);
            after = page.Events[^1].Sequence;
        }
        var epochsOf = new Dictionary<int, int>();
        long consumed = 0;
        long? toThreshold = null;
        foreach (var e in events.Where(e => runs.ContainsKey(e.Run)))
        {
            var now = e.Status.IsFinished() ? runs[e.Run].Epochs : e.Epoch?.Epoch ?? 0;
            var before = epochsOf.GetValueOrDefault(e.Run);
            if (now > before)
            {
                consumed += now - before;
                epochsOf[e.Run] = now;
            }
            if (toThreshold is null && e.Status.IsFinished() && Ends(runs[e.Run]) is { } final && final < Threshold)
                toThreshold = consumed;
        }
        // lr-range's range tests train too: their mini-batches, counted as epochs of the 1437 training rows and added to
        // both epoch figures in full (as if all ran first: an upper bound for the second).
        var rangeEpochs = (long)Math.Ceiling(RangeTestEpochs(results.Measurements ?? []));
        var total = runs.Values.Sum(r => (long)r.Epochs) + rangeEpochs;
        var best = runs.Values.Select(Ends).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(double.NaN).Min();
        var bestAny = runs.Values.Where(r => Ends(r) is not null && r.BestValLoss is { } b && double.IsFinite(b))
            .Select(r => r.BestValLoss!.Value).DefaultIfEmpty(double.NaN).Min();
        var perRun = runs.Values.OrderBy(r => r.Number).Select(r => new RunLine(r.Number, r.Status, r.Epochs, r.FinalValLoss, r.Config)).ToList();
        return new SweepFigures(best, bestAny, total, toThreshold + rangeEpochs, runs.Count, wall, perRun);
    }

    /// <summary>The range-test runs of an lr-range sweep, in epochs: with at most 100 steps a chunk is one mini-batch of the
    /// run's batch size.</summary>
    private static double RangeTestEpochs(IEnumerable<RunView> measurements) =>
        measurements.Sum(m => m.Epochs * (m.Config.TryGetValue("batch_size", out var b) ? double.Parse(b, CultureInfo.InvariantCulture) : 32) / 1437);

    /// <summary>The value a run ended on: its last validation loss, for runs that trained to the end or were stopped by the
    /// rule (a diverged, failed or cancelled run has no usable final value).</summary>
    private static double? Ends(RunView run) =>
        run.Status is RunStatus.Completed or RunStatus.Stopped && run.FinalValLoss is { } v && double.IsFinite(v) ? v : null;

    private static string SweepJson(Setup setup, int seed, int trials, int epochs, int concurrency, string networks) => $$"""
        { "name": "{{setup.Name}} seed {{seed}}",
          "training": { "dataset": "digits", "split_file": "digits_split", "scaling": "divide", "scale_divisor": 16,
                        "optimizer": "sgd", "epochs": {{epochs}}{{setup.Training}} },
          "seeds": [{{seed}}],
          "search": { "strategy": "{{setup.Strategy}}", "trials": {{trials}}, "seed": {{seed}}, "settings": {{setup.StrategySettings}},
            "space": {
              "learning_rate": { "log_uniform": [0.0001, 1] },
              {{networks}},
              "batch_size": { "values": [16, 32, 64, 128] },
              "activation": { "values": ["relu", "tanh"] } } },
          "early_stopping": { "rule": "{{setup.Rule}}", "settings": {{setup.RuleSettings}} },
          "concurrency": {{concurrency}} }
        """;

    private static string Table(List<(Setup Setup, List<SweepFigures> PerSeed)> results)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| setup | best final val loss | best val loss at any epoch | total epochs | epochs until a run ends below {Threshold} | per seed (best / epochs / to {Threshold}) |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var (setup, perSeed) in results)
        {
            var seeds = string.Join("; ", perSeed.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.BestFinal:F4} / {f.TotalEpochs} / {Show(f.EpochsToThreshold)}")));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {setup.Name} | {MedianBest(perSeed):F4} | {Median(perSeed.Select(f => (double?)f.BestAny)):F4} | {Median(perSeed.Select(f => (double?)f.TotalEpochs)):F0} | {Show(Median(perSeed.Select(f => (double?)f.EpochsToThreshold)))} | {seeds} |"));
        }
        return text.ToString();
    }

    private static string Markdown(string command, List<int> seeds, int trials, int epochs, int concurrency, string space, TimeSpan wall, string table,
        List<(Setup Setup, List<SweepFigures> PerSeed)> results)
    {
        var text = new StringBuilder();
        text.AppendLine("# Search and early stopping on digits (issue 6)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}` ({wall.TotalMinutes:F0} minutes wall).");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores ({Machine.CpuName()}); {RuntimeDescription()}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Setup: digits with the fixed split (`split_file: digits_split`, 1437 + 360 rows), pixels divided by 16, plain SGD; learning rate log-uniform 1e-4..1, {(space == "split" ? "hidden_layers an integer 1..3 and neurons 16/32/64/128 (the trainer builds that many layers of that width)" : "layers one of the 12 shapes 1..3 x 16/32/64/128")}, batch size 16/32/64/128, relu or tanh; {trials} trials of at most {epochs} epochs, concurrency {concurrency}, sweep seeds {string.Join(", ", seeds)} (each sweep trains with its seed). ASHA and Hyperband: min_epochs 1, reduction factor 3, max 27 (rungs 1, 3, 9); median: Optuna's (each trial against the finished trials' values at the same epoch, from epoch 1, once 5 have finished; tpe-median-legacy: running averages, warm-up 1 epoch, 5 trials); random-asha-eta4: reduction factor 4 (rungs 1, 4, 16). Figures are medians over the seeds; \"a run ends below\" counts runs that completed or were stopped, at their last epoch, and the epochs are those the whole sweep had consumed (every run's reported epochs) when that run finished.");
        text.AppendLine();
        text.Append(table);
        text.AppendLine();
        text.AppendLine("## Goals");
        text.AppendLine();
        var by = results.ToDictionary(r => r.Setup.Name, r => r.PerSeed);
        if (by.TryGetValue("random", out var plain) && by.TryGetValue("random-asha", out var asha))
        {
            var epochRatio = Median(asha.Select(f => (double?)f.TotalEpochs)) / Median(plain.Select(f => (double?)f.TotalEpochs));
            var lossRatio = MedianBest(asha) / MedianBest(plain);
            var toThreshold = Median(asha.Select(f => (double?)f.EpochsToThreshold));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- random + ASHA uses at most a sixth of the epochs of random without stopping: {epochRatio:F3} of them ({Verdict(epochRatio <= 1.0 / 6)})."));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- random + ASHA reaches a best validation loss within 10% of it: {lossRatio:F3} times it ({Verdict(lossRatio <= 1.1)})."));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- random + ASHA passes {Threshold} within 60 epochs: after {Show(toThreshold)} ({Verdict(toThreshold is <= 60)})."));
        }
        foreach (var name in new[] { "tpe-hyperband", "tpe-median" })
        {
            if (!by.TryGetValue(name, out var tpe))
                continue;
            var best = MedianBest(tpe);
            var total = Median(tpe.Select(f => (double?)f.TotalEpochs));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- {name} reaches 0.023 or lower in at most 700 epochs: best final {best:F4} in {total:F0} epochs ({Verdict(best <= 0.023 && total <= 700)})."));
            var bestAny = Median(tpe.Select(f => (double?)f.BestAny)) ?? double.NaN;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- the same, reading \"best validation loss\" as the lowest at any epoch: {bestAny:F4} in {total:F0} epochs ({Verdict(bestAny <= 0.023 && total <= 700)})."));
        }
        return text.ToString();
    }

    private static string Verdict(bool met) => met ? "met" : "missed";

    private static double MedianBest(IEnumerable<SweepFigures> figures) => Median(figures.Select(f => (double?)f.BestFinal)) ?? double.NaN;

    /// <summary>The median; a missing value (never reached) counts as larger than any value.</summary>
    private static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.Select(v => v ?? double.PositiveInfinity).Order().ToList();
        if (sorted.Count == 0) return null;
        var mid = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return double.IsPositiveInfinity(median) ? null : median;
    }

    private static string Show(double? value) => value is { } v ? v.ToString("F0", CultureInfo.InvariantCulture) : "never";

    private static string Show(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "never";

    private static string RuntimeDescription() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    /// <param name="Training">Trainer settings added to the training block (", \"patience\": 3"), or "".</param>
    private sealed record Setup(string Name, string Strategy, string Rule, string StrategySettings, string RuleSettings, string Training = "");

    /// <summary>BestFinal: the lowest last-epoch validation loss; BestAny: the lowest validation loss at any epoch of those runs (the
    /// sweep's "best val loss" on the leaderboard and the page).</summary>
    private sealed record SweepFigures(double BestFinal, double BestAny, long TotalEpochs, long? EpochsToThreshold, int Runs, TimeSpan Wall, IReadOnlyList<RunLine> PerRun);

    /// <summary>One sweep of `--runs`: the figures of its table row and its runs, for analyses the table does not make.</summary>
    private sealed record SweepRunsLine(string Setup, int Seed, double Best, long TotalEpochs, long? ToThreshold, IReadOnlyList<RunLine> Runs);

    private sealed record RunLine(int Number, RunStatus Status, int Epochs, double? Last, IReadOnlyDictionary<string, string> Config);
}
