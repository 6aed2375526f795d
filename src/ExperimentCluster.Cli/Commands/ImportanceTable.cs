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
    }
}
