using System.CommandLine;
using System.Globalization;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl delete ID [--yes]`: removes a sweep with its runs, trajectories, checkpoints, logs and earlier attempts from the
/// cluster's store. Asks once unless --yes; without a terminal to ask on and without --yes it refuses before connecting,
/// so that a script never deletes by accident. A running sweep is refused by the sweep itself (cancel or pause it first).
/// </summary>
public static class DeleteCommand
{
    public static Command Create(ConnectionOptions connection)
    {
        var id = CliOptions.Positional("ID", "the sweep's id");
        var yes = CliOptions.Flag("--yes", "delete without asking (needed when standard input is not a terminal)");
        var command = new Command("delete", "removes a finished, cancelled or paused sweep and everything stored for it") { id, yes };
        connection.AddTo(command, trains: false);
        command.SetAction(parse => RunAsync(connection.Read(parse), parse.GetValue(id)!, parse.GetValue(yes)));
        return command;
    }

    private static async Task<int> RunAsync(ConnectionSettings settings, string id, bool yes)
    {
        if (!yes && Console.IsInputRedirected)
            throw new CliException($"--yes: standard input is not a terminal, so there is no one to ask; add --yes to delete sweep '{id}'");
        await using var connection = await Connection.OpenAsync(settings, trains: false, CancellationToken.None);
        var sweep = connection.Grains.Sweep(id);
        // No view: an unknown id, or a sweep whose delete was cut short (it no longer shows); the sweep answers which.
        var view = await sweep.GetState();
        if (!yes && view is not null && view.Status != SweepStatus.Running && !Confirm(id, view.Counts.Values.Sum()))
        {
            Console.Error.WriteLine("excl delete: nothing deleted");
            return 1;
        }
        var deletion = await sweep.DeleteAsync();
        if (deletion.Error is { } error)
            throw new CliException($"sweep '{id}': {error}");
        Console.WriteLine($"deleted sweep {TerminalText.Plain(id)}: {Count(deletion.Runs, "run")}, {Count(deletion.Epochs, "epoch")} of trajectories, "
            + $"{Count(deletion.EarlierAttempts, "earlier attempt")}, {Count(deletion.Checkpoints, "checkpoint")}, {Count(deletion.LogChars, "character")} of logs");
        return 0;
    }

    /// <summary>"1 checkpoint", "3 checkpoints" (it read "1 checkpoints").</summary>
    private static string Count(long n, string thing) => string.Create(CultureInfo.InvariantCulture, $"{n} {thing}{(n == 1 ? "" : "s")}");

    private static bool Confirm(string id, int runs)
    {
        Console.Error.Write($"delete sweep {TerminalText.Plain(id)} and its {runs} runs? [y/N] ");
        var answer = Console.ReadLine()?.Trim();
        return string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
    }
}
