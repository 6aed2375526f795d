using System.Globalization;
using ExperimentCluster.Contracts;
using Spectre.Console;

namespace ExperimentCluster.Cli.Commands;

/// <summary>`excl show`'s "what mattered" table: each swept hyperparameter's share of the importance (PED-ANOVA, see
/// HyperparameterImportance in Tuning) with a bar, or the one line saying why there are no shares yet.</summary>
public static class ImportanceTable
{
    private const int BarWidth = 30;

    public static void Write(SweepResults results)
    {
        if (results.Insight?.Importance is not { } importance)
            return;
        if (importance.Reason is { } reason)
        {
            AnsiConsole.WriteLine("Importance: " + TerminalText.Plain(reason));
            return;
        }
        // Short enough for the table's own width (a longer title wrapped over two lines), and the bar column always
        // as wide as a whole share, so that bars read the same in every sweep.
        var table = new Table().Title($"What mattered ({importance.Method} importance)");
        table.AddColumns(new TableColumn("parameter"), new TableColumn("share"), new TableColumn("").Width(BarWidth));
        foreach (var p in importance.Parameters)
        {
            table.AddRow(TerminalText.Markup(p.Parameter), (100 * p.Share).ToString("0.0", CultureInfo.InvariantCulture) + "%",
                new string('█', (int)Math.Round(BarWidth * p.Share)));
        }
        AnsiConsole.Write(table);
        if (LeftOut(results) is { } leftOut)
            AnsiConsole.WriteLine(TerminalText.Plain(leftOut));
    }

    /// <summary>The line that names the conditional parameters the importance leaves out, or null when there are none.</summary>
    private static string? LeftOut(SweepResults results)
    {
        var conditional = results.Insight?.Axes.Where(a => a.When is not null).Select(a => $"{a.Name} (read where {a.When})").ToList();
        return conditional is { Count: > 0 }
            ? $"left out of the importance, as conditional (only the runs that read them have them): {string.Join(", ", conditional)}"
            : null;
    }
}
