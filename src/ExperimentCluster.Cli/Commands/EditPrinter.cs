using System.Globalization;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Cli.Commands;

/// <summary>A sweep's edits as `excl show` and `excl edit` print them: one line per change (plain lines, not a table: the
/// old and new values are JSON that a table would wrap mid-value), then the runs left outside the current space.</summary>
public static class EditPrinter
{
    /// <summary>The Edits list and the runs outside the current space; nothing for a sweep never edited.</summary>
    public static void Write(SweepEditLog? edits)
    {
        if (edits is null || edits.Events.Count == 0)
            return;
        Console.WriteLine("Edits:");
        foreach (var e in edits.Events)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {ChangeLine(e)}  ({e.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; runs from {e.FirstRun} on)"));
        }
        if (edits.OutsideRuns.Count > 0)
            Console.WriteLine($"runs {SweepEditLog.OutsideMark} (kept in the history): {string.Join(", ", edits.OutsideRuns)}");
    }

    public static string ChangeLine(SweepEditEvent e) =>
        $"edit {e.Edit}: {TerminalText.Plain(e.Path)}: {TerminalText.Plain(e.Old ?? "-")} -> {TerminalText.Plain(e.New ?? "-")}";
}
