using System.Globalization;
using ExperimentCluster.Contracts;
using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;
using Spectre.Console;

namespace ExperimentCluster.Cli.Commands;

/// <summary>Leaderboard, per-value summaries and range tests as console tables; JSON lines for --json.</summary>
public static class SweepPrinter
{
    /// <summary>The tables; the measurement runs (range tests) with their curves from <see cref="MeasurementTable.CurvesAsync"/>.</summary>
    public static void Tables(SweepResults results, IReadOnlyDictionary<int, RunDetail> measurementCurves, int top = 15)
    {
        var s = results.Sweep;
        AnsiConsole.MarkupLine($"[bold]{TerminalText.Markup(s.Name)}[/] ({TerminalText.Markup(s.Id)}): {s.Status.ToWord()}, {s.FinishedRuns}/{s.PlannedRuns} runs finished, " +
            $"{s.Count(RunStatus.Diverged)} diverged, {s.Count(RunStatus.Stopped)} stopped early" + Reused(s) +
            (s.Count(RunStatus.Failed) > 0 ? $", {s.Count(RunStatus.Failed)} failed" : "") +
            (s.Count(RunStatus.Paused) > 0 ? $", {s.Count(RunStatus.Paused)} paused" : ""));
        if (s.Reason is not null)
            // A failed program's reason ends with its standard error's last lines: shown as lines, not as \u000A.
            AnsiConsole.MarkupLine($"[{(s.Status == SweepStatus.Failed ? "red" : "bold")}]{s.Status.ToWord()}[/]: {Markup.Escape(TerminalText.Output(s.Reason))}");
        if (results.TimeBudget is { } time)
            Console.WriteLine($"time budget: {TimeBudget.Text(TimeSpan.FromSeconds(time.BudgetSeconds))}, {TimeBudget.Used(time.UsedSeconds)} of it used");
        // A mode: max command sweep's metric, shown as itself: the runs carry it negated (lower is better everywhere).
        var objective = ObjectiveOf(results);
        // The metric is named in the title: in a column header it would take the hyperparameters' width at 80 columns.
        var label = objective.Maximize ? "" : "\nval loss";
        var board = new Table().Title($"Leaderboard (best {(objective.Maximize ? objective.Name : "validation loss")} first)");
        // The short columns keep their width (a header on two lines) and every column has one space of padding, not two,
        // so that at 80 columns (a pipe, a CI log) the hyperparameters get about 22 characters, enough for
        // "weight_decay=1.249E-05", instead of every column wrapping.
        board.AddColumns(
            new TableColumn("run").NoWrap(), new TableColumn("hyperparameters"), new TableColumn("status").NoWrap(), new TableColumn("epochs").NoWrap(),
            new TableColumn("best" + label).NoWrap(), new TableColumn("final" + label).NoWrap());
        // The accuracy column only where it says something: not for a regression or a program that reports none, and not
        // when the objective is the accuracy itself (the column would repeat "final").
        var rows = results.Leaderboard.Take(top).ToList();
        var accuracy = objective.Name != "val_accuracy" && rows.Any(r => r.FinalValAccuracy is not null);
        if (accuracy)
            board.AddColumn(new TableColumn("val\naccuracy").NoWrap());
        Narrow(board);
        foreach (var r in rows)
        {
            string[] cells = [r.Number.ToString(CultureInfo.InvariantCulture), ConfigMarkupLines(r.Config),
                r.Status.ToWord() + (r.DivergedAtEpoch is { } d ? $" @{d}" : ""), r.Epochs.ToString(CultureInfo.InvariantCulture),
                Num(Shown(objective, r.BestValLoss)), Num(Shown(objective, r.FinalValLoss))];
            board.AddRow(accuracy ? [.. cells, Num(r.FinalValAccuracy)] : cells);
        }
        AnsiConsole.Write(board);
        var values = new Table().Title($"Per value: final {Markup.Escape(objective.Name)} across runs");
        values.AddColumns(new TableColumn("parameter").NoWrap(), new TableColumn("value"), new TableColumn("completed\n/ runs").NoWrap(), new TableColumn("mean").NoWrap(),
            new TableColumn("spread\n(sd)").NoWrap(), new TableColumn("best").NoWrap(), new TableColumn("diverged").NoWrap());
        Narrow(values);
        foreach (var v in results.PerValue)
        {
            values.AddRow(TerminalText.Markup(v.Parameter), TerminalText.Markup(Short(v.Value)), CompletedOfRuns(v), Num(Shown(objective, v.MeanFinalValLoss)),
                Num(v.StdFinalValLoss), Num(Shown(objective, v.BestValLoss)), v.Diverged.ToString(CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(values);
        ImportanceTable.Write(results);
        MeasurementTable.Write(results, measurementCurves);
        if (results.Explanation.Length > 0)
            AnsiConsole.WriteLine(TerminalText.Lines(results.Explanation));
    }

    /// <summary>Under the tables: why runs failed (a trial's exit code and last lines of standard error, a report without
    /// the metric), the first few in run order, and the command that prints a run's output. The tables showed "failed"
    /// and nothing more, and the headline did not count them.</summary>
    public static void FailedRuns(SweepResults results, Connection connection)
    {
        foreach (var line in FailedRunLines(results.Sweep.Id, results.Leaderboard, connection.CommandLine))
            Console.WriteLine(TerminalText.Output(line));
    }

    public static IReadOnlyList<string> FailedRunLines(string id, IEnumerable<RunView> runs, Func<string, string> commandLine, int shown = 5)
    {
        var failed = runs.Where(r => r.Status == RunStatus.Failed).OrderBy(r => r.Number).ToList();
        if (failed.Count == 0)
            return [];
        var lines = failed.Take(shown)
            .Select(r => $"failed: run {r.Number} ({ConfigText(r.Config)}): {(r.Reason ?? "no reason stored").Replace("\n", "\n    ", StringComparison.Ordinal)}")
            .ToList();
        if (failed.Count > shown)
            lines.Add($"... and {failed.Count - shown} more failed runs (excl export gives every run's reason)");
        lines.Add($"a run's output: {commandLine($"logs {id} {failed[0].Number}")}");
        return lines;
    }

    /// <summary>"1 / 4": the mean and spread are over the completed runs only, so with a stopping rule a value's four
    /// runs can have a mean of one; the count alone read as a mean of four (the page shows the same pair).</summary>
    public static string CompletedOfRuns(ValueSummaryView v) => string.Create(CultureInfo.InvariantCulture, $"{v.Finished} / {v.Runs}");

    /// <summary>What the sweep's runs are ranked by (<see cref="SweepDefinition.Objective"/>); the validation loss for a file
    /// that no longer parses (stored by an older version).</summary>
    public static Objective ObjectiveOf(SweepResults results)
    {
        try
        {
            return SweepDefinition.Parse(results.SpecJson).Objective;
        }
        catch (SweepException)
        {
            return Objective.ValidationLoss;
        }
    }

    private static double? Shown(Objective objective, double? value) => value is { } v ? objective.Shown(v) : null;

    /// <summary>One space of padding per column, not two.</summary>
    private static void Narrow(Table table)
    {
        foreach (var column in table.Columns)
            column.Padding = new Padding(1, 0, 0, 0);
    }

    /// <summary>The sweep's answer in one sentence (see SweepAnswer), or nothing from a grain that has none.</summary>
    public static void Answer(SweepResults results, Connection connection)
    {
        if (results.Answer is { Length: > 0 } answer)
        {
            // Not through the console's wrapping: the suggested command in it must copy and paste as one line.
            var next = SweepAnswer.NextStep(results.Sweep.Id, answer, connection.Options, connection.IsCluster);
            Console.WriteLine("answer: " + TerminalText.Plain(next is null ? answer : SweepAnswer.WithoutNextStep(answer)));
            if (next is not null)
                Console.WriteLine(TerminalText.Plain(next));
        }
        // The model the sweep kept, once its runs are done: what the user takes away.
        if (results.Sweep.Status == SweepStatus.Completed && ModelCommand.BestKept(results) is { CheckpointEpoch: > 0 } kept)
            Console.WriteLine(TerminalText.Plain($"model: {connection.CommandLine($"model {ShellWord.Quote(results.Sweep.Id)}")} (run {kept.Number}, after epoch {kept.ModelEpoch ?? kept.CheckpointEpoch})"));
        if (results.Sweep.Reused > 0)
            Console.WriteLine($"warm start: {Reused(results.Sweep).TrimStart(',', ' ')}");
    }

    /// <summary>", N runs reused from earlier sweeps (warm start)", or nothing without a warm start.</summary>
    private static string Reused(SweepView s) =>
        s.Reused > 0 ? string.Create(CultureInfo.InvariantCulture, $", {s.Reused} run{(s.Reused == 1 ? "" : "s")} reused from earlier sweeps (warm start)") : "";

    public static string SummaryLine(SweepResults results) => ExclJson.Line(SweepSummaryLine.From(results));

    /// <summary>"name=value ..." for a table, a number to four significant digits (0.04487, not 0.04486643344738848): a
    /// sampled rate's every digit made the column wrap into a tower of fragments. The JSON and the export keep every digit;
    /// the answer shortens drawn numbers only (<see cref="AnswerValue"/>).</summary>
    public static string ConfigText(IReadOnlyDictionary<string, string> config) => string.Join(" ", ConfigEntries(config));

    /// <summary>The same as Spectre markup, one parameter per line, so that a narrow column breaks between parameters
    /// rather than inside a name.</summary>
    private static string ConfigMarkupLines(IReadOnlyDictionary<string, string> config) =>
        string.Join("\n", ConfigEntries(config).Select(TerminalText.Markup));

    private static IEnumerable<string> ConfigEntries(IReadOnlyDictionary<string, string> config) =>
        config.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={Short(kv.Value)}");

    private static string Short(string value) =>
        value.Length > 7 && (char.IsAsciiDigit(value[0]) || value[0] == '-')
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
            ? x.ToString("G4", CultureInfo.InvariantCulture)
            : value.Trim('"');

    /// <summary>A loss in a table: five decimals, or four significant digits where five decimals would print a diverged
    /// run's 4717340487.61731 or round a tiny loss to 0.</summary>
    public static string Num(double? v) => v switch
    {
        null => "-",
        { } x when double.IsNaN(x) => "NaN",
        { } x when x != 0 && (Math.Abs(x) >= 1e5 || Math.Abs(x) < 1e-4) => x.ToString("G4", CultureInfo.InvariantCulture),
        { } x => x.ToString("0.#####", CultureInfo.InvariantCulture),
    };
}
