using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Contracts;
using ExperimentCluster.Tuning;
using ScottPlot;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl plot ID [--out DIR]`: PNG files of a sweep, from a data folder or a cluster. Losses span decades, so the
/// loss and learning-rate axes are log10 with labels in plain numbers; a command sweep's metric to maximise is drawn as
/// itself on a linear axis (<see cref="ValueScale"/>); diverged runs are red crosses.
/// </summary>
public static class PlotCommand
{
    private const int Width = 1200;
    private const int Height = 750;
    private static readonly Color Diverged = Color.FromHex("#d13438");

    public static Command Create(ConnectionOptions connection)
    {
        var id = CliOptions.Positional("ID", "the sweep");
        var output = CliOptions.Text("--out", "the folder for the PNG files", "excl-results/ID", "dir");
        var json = CliOptions.Flag("--json", "one JSON object per file written");
        var command = new Command("plot", "writes PNG plots of a sweep: loss curves, learning rate vs loss, per hyperparameter") { id, output, json };
        connection.AddTo(command, trains: false);
        command.SetAction(parse => RunAsync(parse.GetValue(id)!, parse.GetValue(output), parse.GetValue(json), connection.Read(parse)));
        return command;
    }

    public static async Task<int> RunAsync(string id, string? output, bool json, ConnectionSettings settings)
    {
        var folder = output ?? Path.Combine("excl-results", id);
        await using var connection = await Connection.OpenAsync(settings, trains: false, CancellationToken.None);
        var (results, runs) = await SweepResultsWriter.FetchAsync(connection.Grains, id);
        Directory.CreateDirectory(folder);
        var files = new List<string>
        {
            LossCurves(results, runs, Path.Combine(folder, "loss-curves.png")),
            LearningRateVsLoss(results, runs, Path.Combine(folder, "lr-vs-loss.png")),
            PerHyperparameter(results, Path.Combine(folder, "per-hyperparameter.png")),
        }.Select(Path.GetFullPath).ToList();
        foreach (var f in files)
            Console.WriteLine(json ? ExclJson.Line(new FileLine(f)) : f);
        return 0;
    }

    public static string LossCurves(SweepResults results, IReadOnlyList<RunDetail> runs, string path) =>
        Save(BuildLossCurves(results, runs), path);

    public static string LearningRateVsLoss(SweepResults results, IReadOnlyList<RunDetail> runs, string path) =>
        Save(BuildLearningRateVsLoss(results, runs), path);

    public static string PerHyperparameter(SweepResults results, string path)
    {
        var (multiplot, panels) = BuildPerHyperparameter(results);
        multiplot.SavePng(path, Width, Math.Max(Height, 380 * panels));
        return path;
    }

    private static string Save(Plot plot, string path)
    {
        plot.SavePng(path, Width, Height);
        return path;
    }

    public static Plot BuildLossCurves(SweepResults results, IReadOnlyList<RunDetail> runs)
    {
        var scale = new ValueScale(SweepPrinter.ObjectiveOf(results));
        var plot = NewPlot($"{results.Sweep.Name}: {scale.Objective.Name} per run", "epoch", scale.Objective.Name);
        // Epochs are whole: a short sweep's axis read 0.8, 1, 1.2, ...
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        var (lo, hi) = LearningRateRange(runs);
        foreach (var run in runs.OrderBy(r => r.Run.Number))
        {
            var points = run.Metrics.Where(e => scale.Drawable(e.ValLoss)).ToList();
            if (points.Count == 0)
                continue;
            var diverged = run.Run.Status == RunStatus.Diverged;
            var line = plot.Add.ScatterLine(points.Select(e => (double)e.Epoch).ToArray(), points.Select(e => scale.Y(e.ValLoss)).ToArray());
            line.Color = diverged ? Diverged : ColorFor(LearningRate(run.Run), lo, hi);
            line.LineWidth = diverged ? 1.5f : 1.2f;
            if (diverged)
            {
                line.LinePattern = LinePattern.Dashed;
                var last = points[^1];
                plot.Add.Marker(run.Run.DivergedAtEpoch ?? last.Epoch, scale.Y(last.ValLoss), MarkerShape.Eks, 12, Diverged);
            }
        }
        if (scale.Log)
            LogAxis(plot.Axes.Left, runs.SelectMany(r => r.Metrics).Where(e => scale.Drawable(e.ValLoss)).Select(e => scale.Y(e.ValLoss)));
        Legend(plot, lo, hi, runs.Any(r => r.Run.Status == RunStatus.Diverged));
        return plot;
    }

    public static Plot BuildLearningRateVsLoss(SweepResults results, IReadOnlyList<RunDetail> runs)
    {
        var scale = new ValueScale(SweepPrinter.ObjectiveOf(results));
        var plot = NewPlot($"{results.Sweep.Name}: learning rate vs final {scale.Objective.Name}", "learning rate", "final " + scale.Objective.Name);
        var withRate = runs.Where(r => LearningRate(r.Run) is > 0 && r.Run.Status.IsFinished()).ToList();
        if (withRate.Count == 0)
        {
            plot.Add.Annotation("the learning rate is not swept in this sweep");
            return plot;
        }
        var finite = withRate.Where(r => r.Run.Status != RunStatus.Diverged && scale.Drawable(r.Run.FinalValLoss ?? double.NaN)).ToList();
        var (lo, hi) = LearningRateRange(runs);
        foreach (var r in finite)
            plot.Add.Marker(Math.Log10(LearningRate(r.Run)!.Value), scale.Y(r.Run.FinalValLoss!.Value), MarkerShape.FilledCircle, 9, ColorFor(LearningRate(r.Run), lo, hi));
        // A diverged run's final value is huge or not a number: it is drawn beyond every other point on the bad side
        // (above a loss, below a metric to maximise), marked with its epoch.
        var worst = scale.Worst(finite.Select(r => scale.Y(r.Run.FinalValLoss!.Value)).ToList());
        foreach (var r in withRate.Where(r => r.Run.Status == RunStatus.Diverged))
        {
            var x = Math.Log10(LearningRate(r.Run)!.Value);
            var y = scale.Log && Positive(r.Run.FinalValLoss ?? double.NaN) ? Math.Min(Math.Log10(r.Run.FinalValLoss!.Value), worst) : worst;
            plot.Add.Marker(x, y, MarkerShape.Eks, 14, Diverged);
            var label = plot.Add.Text($"diverged @ epoch {r.Run.DivergedAtEpoch?.ToString(CultureInfo.InvariantCulture) ?? "?"}", x, y);
            label.LabelFontColor = Diverged;
            label.LabelFontSize = 11;
            // Left of the cross: the highest learning rates sit at the right edge.
            label.LabelAlignment = Alignment.MiddleRight;
            label.LabelOffsetX = -10;
        }
        if (scale.Log)
            LogAxis(plot.Axes.Left, finite.Select(r => scale.Y(r.Run.FinalValLoss!.Value))
                .Concat(withRate.Any(r => r.Run.Status == RunStatus.Diverged) ? [worst] : []));
        LogAxis(plot.Axes.Bottom, withRate.Select(r => Math.Log10(LearningRate(r.Run)!.Value)));
        plot.Axes.Margins(0.1, 0.1);
        return plot;
    }

    /// <summary>What a value's panel says in place of a bar when none of its runs finished.</summary>
    public const string NoFinishedRun = "no finished run";

    /// <summary>One panel per swept hyperparameter: the mean final validation loss (or metric) per value, in the order of
    /// the per-value summaries (bars, with spread), diverged runs counted.</summary>
    public static (Multiplot Plot, int Panels) BuildPerHyperparameter(SweepResults results)
    {
        var objective = SweepPrinter.ObjectiveOf(results);
        var groups = results.PerValue.GroupBy(v => v.Parameter).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(Math.Max(1, groups.Count));
        for (var i = 0; i < groups.Count; i++)
        {
            var plot = multiplot.GetPlot(i);
            var values = groups[i].Select(v => v with { MeanFinalValLoss = v.MeanFinalValLoss is { } m ? objective.Shown(m) : null }).ToList();
            plot.Title(groups[i].Key);
            plot.YLabel("mean final " + objective.Name);
            // A value none of whose runs finished (all stopped early or diverged) has no mean: no bar, which at zero
            // height would read as the best, but a note that says so.
            var bars = values.Select((v, x) => (Value: v, X: x)).Where(p => p.Value.MeanFinalValLoss is not null).Select(p => new Bar
            {
                Position = p.X,
                Value = p.Value.MeanFinalValLoss!.Value,
                Error = p.Value.StdFinalValLoss ?? 0,
                FillColor = Colors.SteelBlue.WithAlpha(.8),
            }).ToList();
            if (bars.Count > 0)
                plot.Add.Bars(bars);
            var ceiling = Math.Max(1e-9, values.Max(v => (v.MeanFinalValLoss ?? 0) + (v.StdFinalValLoss ?? 0)));
            for (var x = 0; x < values.Count; x++)
            {
                var top = values[x].MeanFinalValLoss ?? 0;
                if (values[x].MeanFinalValLoss is null)
                {
                    var none = plot.Add.Text(NoFinishedRun, x, ceiling * 0.02);
                    none.LabelFontColor = Colors.Gray;
                    none.LabelAlignment = Alignment.LowerCenter;
                    top = ceiling * 0.08;
                }
                if (values[x].Diverged == 0)
                    continue;
                var note = plot.Add.Text($"{values[x].Diverged} diverged", x, top + ceiling * 0.05);
                note.LabelFontColor = Diverged;
                note.LabelAlignment = Alignment.LowerCenter;
            }
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, values.Count).Select(x => (double)x).ToArray(), values.Select(v => Label(v.Value)).ToArray());
            // Every value's slot, with or without a bar: the limits fitted to the bars alone cut off a first or last
            // value's "no finished run".
            plot.Axes.SetLimits(-0.5, values.Count - 0.5, 0, ceiling * 1.2);
        }
        return (multiplot, groups.Count);
    }

    private static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }

    /// <summary>Values are plotted as log10 and the ticks read as plain numbers: on whole decades (with minor ticks
    /// between) over two decades or more, else on round numbers (<see cref="RoundLogTicks"/>).</summary>
    private static void LogAxis(ScottPlot.IAxis axis, IEnumerable<double> logs)
    {
        var finite = logs.Where(double.IsFinite).ToList();
        var (lo, hi) = finite.Count == 0 ? (0, 0) : (finite.Min(), finite.Max());
        if (hi - lo >= 2 || finite.Count == 0)
        {
            axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = finite.Count > 0,
                LabelFormatter = v => TickLabel(Math.Pow(10, v)),
            };
            return;
        }
        var manual = new ScottPlot.TickGenerators.NumericManual();
        foreach (var v in RoundLogTicks(lo, hi))
            manual.AddMajor(Math.Log10(v), TickLabel(v));
        axis.TickGenerator = manual;
    }

    /// <summary>
    /// Round numbers for a log axis under two decades, between 10^lo and 10^hi (and a little either side, for the
    /// axis's margins): the first of 1-2-5 and 1-1.5-2-3-5-7 that puts four ticks or more inside, else of the digits,
    /// fifths and tenths that puts three. Automatic ticks on the logarithms fell on 1.78, 1.58, 1.41, ... (steps of
    /// 0.05 decade).
    /// </summary>
    public static IReadOnlyList<double> RoundLogTicks(double lo, double hi)
    {
        // One value (every run ended at 0.1): its own tick; round ticks around it crowded into one smudge.
        if (hi - lo < 1e-9)
            return [Math.Pow(10, lo)];
        (double[] Mantissas, int Enough)[] choices =
        [
            ([1, 2, 5], 4),
            ([1, 1.5, 2, 3, 5, 7], 4),
            ([1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9], 3),
            ([.. Enumerable.Range(5, 45).Select(m => m / 5.0)], 3),
            ([.. Enumerable.Range(10, 90).Select(m => m / 10.0)], 0),
        ];
        var pad = Math.Max(0.1 * (hi - lo), 0.02);
        List<double> ticks = [];
        foreach (var (mantissas, enough) in choices)
        {
            ticks = [];
            for (var k = (int)Math.Floor(lo - pad); k <= (int)Math.Ceiling(hi + pad); k++)
            {
                foreach (var m in mantissas)
                {
                    // Through six digits: 1.5 * 10^-1 is 0.15000000000000002, which a label or a test would show.
                    var v = double.Parse((m * Math.Pow(10, k)).ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                    if (Math.Log10(v) >= lo - pad && Math.Log10(v) <= hi + pad)
                        ticks.Add(v);
                }
            }
            if (ticks.Count(v => Math.Log10(v) >= lo && Math.Log10(v) <= hi) >= enough)
                break;
        }
        return ticks;
    }

    /// <summary>A log axis's tick as a plain number, or beyond 0.001..100000 as 1e-4, 2e-4, 1.5e-6 (round ticks under two
    /// decades are not all powers of ten).</summary>
    public static string TickLabel(double v)
    {
        if (v is >= 1e-3 and < 1e5)
            return v.ToString("G3", CultureInfo.InvariantCulture);
        var exponent = Math.Floor(Math.Log10(v) + 1e-9);
        var mantissa = Math.Round(v / Math.Pow(10, exponent), 2);
        return string.Create(CultureInfo.InvariantCulture, $"{mantissa:G3}e{exponent}");
    }

    private static void Legend(Plot plot, double? lo, double? hi, bool diverged)
    {
        if (lo is { } l && hi is { } h)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"lr {N(l)}", LineColor = ColorFor(l, lo, hi), LineWidth = 3 });
            if (h > l)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"lr {N(h)}", LineColor = ColorFor(h, lo, hi), LineWidth = 3 });
        }
        if (diverged)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "diverged (x where it diverged)", LineColor = Diverged, LineWidth = 3, LinePattern = LinePattern.Dashed });
        plot.ShowLegend(Edge.Right);
    }

    /// <summary>Stored values are JSON text; a string shows without its quotes.</summary>
    private static string Label(string json) =>
        json.Length >= 2 && json[0] == '"' ? JsonSerializer.Deserialize<string>(json) ?? json : json;

    private static double? LearningRate(RunView run) =>
        run.Config.TryGetValue("learning_rate", out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static (double? Lo, double? Hi) LearningRateRange(IReadOnlyList<RunDetail> runs)
    {
        var rates = runs.Select(r => LearningRate(r.Run)).Where(v => v is > 0).Select(v => v!.Value).ToList();
        return rates.Count == 0 ? (null, null) : (rates.Min(), rates.Max());
    }

    /// <summary>Low learning rates blue, high ones yellow (viridis), evenly by decade.</summary>
    private static Color ColorFor(double? rate, double? lo, double? hi)
    {
        if (rate is not { } r || lo is not { } l || hi is not { } h || h <= l)
            return Colors.SteelBlue;
        var t = (Math.Log10(r) - Math.Log10(l)) / (Math.Log10(h) - Math.Log10(l));
        return new ScottPlot.Colormaps.Viridis().GetColor(Math.Clamp(t, 0, 1) * 0.9);
    }

    private static bool Positive(double v) => double.IsFinite(v) && v > 0;

    /// <summary>How the runs' values (a loss, or a metric to maximise carried negated) become a plot's y: a loss as
    /// log10 (it spans decades; only positive values have one), a metric as itself on a linear axis.</summary>
    private sealed record ValueScale(Objective Objective)
    {
        public bool Log => !Objective.Maximize;

        public bool Drawable(double value) => Log ? Positive(value) : double.IsFinite(value);

        public double Y(double value) => Log ? Math.Log10(value) : Objective.Shown(value);

        /// <summary>Where a diverged run goes: beyond the drawn points on the bad side.</summary>
        public double Worst(IReadOnlyList<double> ys)
        {
            if (ys.Count == 0)
                return Log ? 1 : 0;
            if (Log)
                return ys.Max() + 0.3;
            var span = ys.Max() - ys.Min();
            return ys.Min() - Math.Max(0.1 * span, 0.05 * Math.Max(Math.Abs(ys.Min()), 1e-9));
        }
    }

    private static string N(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
}
