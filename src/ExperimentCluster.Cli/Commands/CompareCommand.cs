using ExperimentCluster.Tuning;
using System.CommandLine;
using System.Globalization;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Contracts;
using ExperimentCluster.Contracts.Json;
using ExperimentCluster.Silo;
using Spectre.Console;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl compare ID1 ID2 [...] [--json]`: sweeps side by side — each one's answer, its best-so-far validation loss against
/// the epochs it consumed, and the per-value summaries on aligned rows (see <see cref="SweepComparisonJson"/>, which the
/// page's compare view draws too).
/// </summary>
public static class CompareCommand
{
    /// <summary>The best-so-far curve as text: at most this many points, always its first and last.</summary>
    private const int CurvePoints = 8;

    public static Command Create(ConnectionOptions connection)
    {
        var ids = new Argument<string[]>("ID") { Description = "two or more sweep ids", Arity = ArgumentArity.OneOrMore };
        var json = CliOptions.Flag("--json", "one JSON object (the same as GET /api/compare?ids=...)");
        var command = new Command("compare", "sweeps side by side: answers, best-so-far against epochs, per-value summaries aligned") { ids, json };
        connection.AddTo(command, trains: false);
        command.SetAction(parse => RunAsync(connection.Read(parse), parse.GetValue(ids) ?? [], parse.GetValue(json)));
        return command;
    }

    private static async Task<int> RunAsync(ConnectionSettings settings, string[] ids, bool json)
    {
        // Counted here rather than by the argument's arity, whose message for one id was "Required argument 'ID' missing".
        if (ids.Length is < 2 or > SweepComparisonJson.MaxSweeps)
            throw new CliException($"ID: give 2 to {SweepComparisonJson.MaxSweeps} sweep ids to compare, not {ids.Length}");
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Length)
            throw new CliException("ID: a sweep is named twice; compare different sweeps");
        await using var connection = await Connection.OpenAsync(settings, trains: false, CancellationToken.None);
        var results = new List<SweepResults>();
        foreach (var id in ids)
            results.Add(await connection.Grains.Sweep(id).GetResultsAsync() ?? throw await UnknownSweep.ErrorAsync(connection.Grains, id));
        // The answers' own next steps name the default data folder: with other options they would fail as printed, so
        // they are left out (text and --json alike, as GET /api/compare does).
        var comparison = SweepComparisonJson.From(connection.Options.Length > 0
            ? results.Select(r => r.Answer is { } a ? r with { Answer = SweepAnswer.WithoutNextStep(a) } : r).ToList()
            : results);
        if (json)
        {
            Console.WriteLine(ExclJson.Line(comparison));
            return 0;
        }
        foreach (var sweep in comparison.Sweeps)
        {
            // Unwrapped, as the answer below: a line per sweep whatever the terminal's width.
            Console.WriteLine($"{TerminalText.Plain(sweep.Name)} ({TerminalText.Plain(sweep.Id)}): {sweep.Status.ToWord()}, {sweep.Runs} runs, " +
                $"{sweep.Epochs.ToString(CultureInfo.InvariantCulture)} epochs, best val loss {SweepPrinter.Num(sweep.BestValLoss)}" +
                (sweep.Reused > 0 ? $", {sweep.Reused} runs reused (warm start)" : ""));
            // Not through the console's wrapping, as `excl show` prints it: the command in it copies as one line.
            Console.WriteLine("  answer: " + TerminalText.Plain(sweep.Answer ?? "none"));
            Console.WriteLine("  best so far (epochs: loss): " + CurveText(sweep.Curve));
        }
        var table = new Table().Title("Per value: mean final validation loss ± sd (completed/runs, diverged)");
        table.AddColumns(["parameter", "value", .. comparison.Sweeps.Select(s => TerminalText.Markup(s.Id))]);
        foreach (var row in comparison.PerValue)
            table.AddRow([TerminalText.Markup(row.Parameter), TerminalText.Markup(row.Value.Trim('"')), .. row.Sweeps.Select(Cell)]);
        AnsiConsole.Write(table);
        return 0;
    }

    private static string Cell(ValueSummaryView? v) => v is null ? "-"
        : v.MeanFinalValLoss is null ? $"no finished run ({v.Finished}/{v.Runs}, {v.Diverged} diverged)"
        : $"{SweepPrinter.Num(v.MeanFinalValLoss)}{(v.StdFinalValLoss is { } sd ? " ± " + SweepPrinter.Num(sd) : "")} ({v.Finished}/{v.Runs}, {v.Diverged} diverged)";

    private static string CurveText(IReadOnlyList<double[]> curve)
    {
        if (curve.Count == 0)
            return "no result yet";
        var step = Math.Max(1, (curve.Count + CurvePoints - 2) / (CurvePoints - 1));
        var shown = curve.Where((_, i) => i % step == 0 || i == curve.Count - 1);
        return string.Join(", ", shown.Select(p => $"{p[0].ToString(CultureInfo.InvariantCulture)}: {SweepPrinter.Num(p[1])}"));
    }
}
