using System.Globalization;
using ExperimentCluster.Contracts;
using Spectre.Console;

namespace ExperimentCluster.Cli.Commands;

/// <summary>A sweep's edits as `excl show` and `excl edit` print them: one line per change, and the runs left outside.</summary>
public static class EditPrinter
{
    /// <summary>The Edits list and the runs outside the current space; nothing for a sweep never edited.</summary>
    public static void Write(SweepEditLog? edits)
    {
        if (edits is null || edits.Events.Count == 0)
            return;
        var table = new Table().Title("Edits");
        table.AddColumns("edit", "time (UTC)", "from run", "setting", "old", "new");
        foreach (var e in edits.Events)
        {
            table.AddRow(e.Edit.ToString(CultureInfo.InvariantCulture), e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                e.FirstRun.ToString(CultureInfo.InvariantCulture),
                TerminalText.Markup(e.Path), TerminalText.Markup(e.Old ?? "-"), TerminalText.Markup(e.New ?? "-"));
        }
        AnsiConsole.Write(table);
        if (edits.OutsideRuns.Count > 0)
            Console.WriteLine($"runs {SweepEditLog.OutsideMark} (kept in the history): {string.Join(", ", edits.OutsideRuns)}");
    }

    public static string ChangeLine(SweepEditEvent e) =>
        $"edit {e.Edit}: {TerminalText.Plain(e.Path)}: {TerminalText.Plain(e.Old ?? "-")} -> {TerminalText.Plain(e.New ?? "-")}";
}
