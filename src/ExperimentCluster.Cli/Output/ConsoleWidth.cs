using System.Globalization;
using Spectre.Console;

namespace ExperimentCluster.Cli.Output;

/// <summary>
/// The width tables and wrapped text are laid out for when standard output is a pipe or a file. Spectre assumes 80
/// columns there, and `excl list | less` broke sweep ids and dates across lines ("quick-202 / 61205-094 / 123-15ad").
/// A pipe has no width, so tables take their natural width, up to <c>COLUMNS</c> when it is set (80 at least: fewer left
/// a table as one "…"), else 200; a terminal keeps its own.
/// </summary>
public static class ConsoleWidth
{
    public const int Redirected = 200;

    public static void Apply()
    {
        if (!Console.IsOutputRedirected)
            return;
        AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns > 0
            ? Math.Max(columns, 80)
            : Redirected;
    }
}
