using System.CommandLine;
using ExperimentCluster.Cli.CommandLine;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// The sweep commands as the command line sees them: name, one-line description, arguments and options. The bodies
/// are in <see cref="SweepCommands"/>.
/// </summary>
public static class SweepCommandLine
{
    public static IEnumerable<Command> Create(ConnectionOptions connection)
    {
        var o = new SweepOptions(connection);
        var retry = new RetryOptions();
        yield return Define("run", "runs a sweep in a silo embedded in this process and waits for it", trains: true,
            [o.File, o.Example, o.Upload, o.NewId, o.ResultsFolder, o.Json], o, SweepCommands.RunAsync);
        yield return Define("resume", "continues a paused or interrupted sweep: every unfinished run from its last checkpoint", trains: true,
            [o.SweepId, o.ResultsFolder, o.Json], o, SweepCommands.ResumeAsync);
        yield return Define("submit", "submits a sweep to a running cluster, prints its id and returns", trains: false,
            [o.File, o.Example, o.Upload, o.NewId, o.Json], o, SweepCommands.SubmitAsync);
        yield return Define("watch", "follows a sweep's progress until it ends, then prints its results", trains: false,
            [o.SweepId, o.Json], o, SweepCommands.WatchAsync);
        yield return Define("list", "lists every sweep with its status and best validation loss", trains: false,
            [o.Json], o, SweepCommands.ListAsync);
        yield return Define("show", "prints a sweep's leaderboard, per-value summaries and range tests", trains: false,
            [o.SweepId, o.Json], o, SweepCommands.ShowAsync);
        yield return Define("cancel", "cancels a sweep; its finished runs are kept", trains: false,
            [o.SweepId], o, SweepCommands.CancelAsync);
        yield return Define("pause", "checkpoints and stops a sweep's running runs and starts nothing new until `excl resume`", trains: false,
            [o.SweepId], o, PauseRetryCommands.PauseAsync);
        yield return Define("retry", "trains chosen finished runs again from scratch as a new attempt; the old attempt is kept", trains: true,
            [o.SweepId, retry.Failed, retry.Diverged, retry.Runs, o.ResultsFolder, o.Json], o, (p, so) => PauseRetryCommands.RetryAsync(p, so, retry));
        yield return Define("export", "writes every epoch of every run of a sweep as CSV or JSON", trains: false,
            [o.SweepId, o.Format, o.ExportFile], o, SweepCommands.ExportAsync);
    }

    private static Command Define(string name, string description, bool trains, Symbol[] symbols, SweepOptions options,
        Func<ParseResult, SweepOptions, Task<int>> body)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            if (symbol is Argument argument) command.Add(argument);
            else command.Add((Option)symbol);
        }
        options.Connection.AddTo(command, trains);
        command.SetAction(parse => body(parse, options));
        return command;
    }
}
