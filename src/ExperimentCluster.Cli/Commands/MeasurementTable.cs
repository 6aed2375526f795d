using System.Globalization;
using ExperimentCluster.Contracts;
using Spectre.Console;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// The measurement runs a sweep's search asked for (learning-rate range tests) as a console table: each with its
/// suggested rate, how it was read, and its curve (the smoothed loss as the rate grows) as a one-line sparkline.
/// </summary>
public static class MeasurementTable
{
    private const int CurvePoints = 20;
    private const string Levels = "▁▂▃▄▅▆▇█";

    /// <summary>The measurement runs' curves, downsampled for the sparkline (none when the sweep has no measurements).</summary>
    public static async Task<IReadOnlyDictionary<int, RunDetail>> CurvesAsync(IGrainFactory grains, SweepResults results)
    {
        var measured = results.Measurements ?? [];
        var details = await Task.WhenAll(measured.Select(m => grains.Run(results.Sweep.Id, m.Number).GetDetailAsync(CurvePoints)));
        return details.Where(d => d is not null).ToDictionary(d => d!.Run.Number, d => d!);
    }

    public static void Write(SweepResults results, IReadOnlyDictionary<int, RunDetail> curves)
    {
        if (results.Measurements is not { Count: > 0 } measured)
            return;
        var table = new Table().Title("Range tests (runs the search measured with; the curve is the smoothed loss as the rate grows)");
        table.AddColumns("run", "architecture", "status", "chunks", "suggested rate", "curve");
        foreach (var m in measured)
        {
            var architecture = m.Config.Where(kv => kv.Key is not ("learning_rate" or "seed")).ToDictionary(kv => kv.Key, kv => kv.Value);
            var curve = curves.TryGetValue(m.Number, out var d) ? Sparkline(d.Metrics.Select(e => e.ValLoss).ToList()) : "";
            table.AddRow(m.Number.ToString(CultureInfo.InvariantCulture), TerminalText.Markup(SweepPrinter.ConfigText(architecture)), m.Status.ToWord(),
                m.Epochs.ToString(CultureInfo.InvariantCulture), m.Result is { } r ? r.ToString("G3", CultureInfo.InvariantCulture) : "-", curve);
        }
        AnsiConsole.Write(table);
        foreach (var m in measured.Where(m => m.Reason is not null))
            AnsiConsole.WriteLine($"  run {m.Number}: {TerminalText.Plain(m.Reason)}");
    }

    /// <summary>One character per point, low to high between the curve's finite minimum and maximum; a gap where it is not finite.</summary>
    public static string Sparkline(IReadOnlyList<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
            return "";
        var (low, high) = (finite.Min(), finite.Max());
        return new string(values.Select(v => !double.IsFinite(v) ? ' '
            : Levels[high > low ? (int)Math.Round((v - low) / (high - low) * (Levels.Length - 1)) : 0]).ToArray());
    }
}
