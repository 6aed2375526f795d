using System.Globalization;
using ExperimentCluster.Contracts;
using Spectre.Console;

namespace ExperimentCluster.Cli.Commands;

/// <summary>Leaderboard and per-value summaries as console tables; JSON lines for --json.</summary>
public static class SweepPrinter
{
    public static void Tables(SweepResults results, int top = 15)
    {
        var s = results.Sweep;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(s.Name)}[/] ({Markup.Escape(s.Id)}): {s.Status.ToWord()}, {s.FinishedRuns}/{s.PlannedRuns} runs finished, " +
            $"{s.Count(RunStatus.Diverged)} diverged, {s.Count(RunStatus.Stopped)} stopped early");
        var board = new Table().Title("Leaderboard (best validation loss first)");
        board.AddColumns("run", "hyperparameters", "status", "epochs", "best val loss", "final val loss", "val accuracy");
        foreach (var r in results.Leaderboard.Take(top))
        {
            board.AddRow(r.Number.ToString(CultureInfo.InvariantCulture), Markup.Escape(ConfigText(r.Config)),
                r.Status.ToWord() + (r.DivergedAtEpoch is { } d ? $" @{d}" : ""), r.Epochs.ToString(CultureInfo.InvariantCulture),
                Num(r.BestValLoss), Num(r.FinalValLoss), Num(r.FinalValAccuracy));
        }
        AnsiConsole.Write(board);
        var values = new Table().Title("Per value: final validation loss across runs");
        values.AddColumns("parameter", "value", "runs", "mean", "spread (sd)", "best", "diverged");
        foreach (var v in results.PerValue)
        {
            values.AddRow(Markup.Escape(v.Parameter), Markup.Escape(v.Value.Trim('"')), v.Runs.ToString(CultureInfo.InvariantCulture), Num(v.MeanFinalValLoss),
                Num(v.StdFinalValLoss), Num(v.BestValLoss), v.Diverged.ToString(CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(values);
        if (results.Explanation.Length > 0)
            AnsiConsole.WriteLine(results.Explanation);
    }

    public static string SummaryLine(SweepResults results) => Json.Line(w =>
    {
        var s = results.Sweep;
        w.WriteString("event", "summary");
        w.WriteString("sweep_id", s.Id);
        w.WriteString("status", s.Status.ToWord());
        w.WriteNumber("runs", s.Counts.Values.Sum());
        w.WriteStartObject("counts");
        foreach (var (status, n) in s.Counts.OrderBy(c => c.Key))
            w.WriteNumber(status.ToWord(), n);
        w.WriteEndObject();
        w.Number("best_val_loss", s.BestValLoss);
        if (results.Leaderboard.Count > 0 && results.Leaderboard[0] is { } best)
            w.Config("best_hyperparameters", best.Config);
        w.WriteStartArray("diverged");
        foreach (var r in results.Leaderboard.Where(r => r.Status == RunStatus.Diverged))
        {
            w.WriteStartObject();
            w.WriteNumber("run", r.Number);
            w.Config("hyperparameters", r.Config);
            if (r.DivergedAtEpoch is { } d) w.WriteNumber("epoch", d); else w.WriteNull("epoch");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("explanation", results.Explanation);
    });

    public static string ConfigText(IReadOnlyDictionary<string, string> config) =>
        string.Join(" ", config.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value.Trim('"')}"));

    public static string Num(double? v) => v switch
    {
        null => "-",
        { } x when double.IsNaN(x) => "NaN",
        { } x => x.ToString("0.#####", CultureInfo.InvariantCulture),
    };
}
