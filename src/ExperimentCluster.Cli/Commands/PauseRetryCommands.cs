using System.CommandLine;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Cli.Commands;

/// <summary>`excl pause` and `excl retry`, and what `excl resume` says before it continues a sweep.</summary>
public static class PauseRetryCommands
{
    public static async Task<int> PauseAsync(ParseResult args, SweepOptions o)
    {
        var id = args.GetValue(o.SweepId)!;
        await using var connection = await Connection.OpenAsync(o.Connection.Read(args), trains: false, CancellationToken.None);
        var change = await connection.Grains.Sweep(id).PauseAsync();
        if (change.Error is not null)
            throw new CliException(change.Error);
        if (change.Note is not null)
            Console.Error.WriteLine($"excl pause: {TerminalText.Plain(change.Note)}");
        var view = change.Sweep!;
        Console.WriteLine($"{TerminalText.Plain(id)}: {view.Status.ToWord()}; {view.Count(RunStatus.Running) + view.Count(RunStatus.Queued)} runs stopping at their next checkpoint, {view.Count(RunStatus.Paused)} paused; continue with: {TerminalText.Plain(connection.ResumeCommand(id))}");
        return 0;
    }

    public static async Task<int> RetryAsync(ParseResult args, SweepOptions o, RetryOptions r)
    {
        var id = args.GetValue(o.SweepId)!;
        IReadOnlyList<int>? runs = null;
        if (args.GetValue(r.Runs) is { } text)
        {
            var (parsed, error) = SweepChanges.ParseRuns(text);
            runs = parsed ?? throw new CliException($"--runs: {error}");
        }
        var request = new RetryRequest(args.GetValue(r.Failed), args.GetValue(r.Diverged), runs);
        if (!request.Failed && !request.Diverged && runs is null)
            throw new CliException("--runs: say which runs to retry: --failed, --diverged or --runs 3,7");
        var settings = o.Connection.Read(args);
        using var interrupt = new Interrupt();
        // Nothing trains in this data folder: the retried runs train here, as `excl resume` trains them. A silo that
        // only answers started them without the working folder's data or the right to run commands, and they failed
        // ("mywine.csv is outside the data roots"), their good attempt replaced by a failed one.
        var trains = !settings.IsCluster && !Connection.TrainedElsewhere(settings.DataDir);
        await using var connection = await Connection.OpenAsync(trains ? settings with { DataRoots = [Environment.CurrentDirectory] } : settings, trains, interrupt.Token);
        var change = await connection.Grains.Sweep(id).RetryAsync(request);
        if (change.Error is not null)
            throw new CliException(CliField(change.Error));
        var view = change.Sweep!;
        var json = args.GetValue(o.Json);
        // With --json standard output is JSON lines only (those of the training that follows here).
        (json ? Console.Error : Console.Out).WriteLine($"{TerminalText.Plain(id)}: {view.Status.ToWord()}; retrying runs {string.Join(",", change.Retried!)} from scratch as a new attempt");
        // A cluster, or the excl process training in the folder, trains them; here this process does, to the end.
        return trains ? await SweepCommands.FollowAndReportAsync(connection, id, json, args.GetValue(o.ResultsFolder), interrupt) : 0;
    }

    /// <summary>Before `excl resume` continues a sweep: whether it was paused, and a note when there was nothing to resume.</summary>
    public static async Task NoteBeforeResumeAsync(IGrainFactory grains, string id)
    {
        var view = await grains.Sweep(id).GetState() ?? throw await UnknownSweep.ErrorAsync(grains, id);
        if (view.Status == SweepStatus.Paused)
            Console.Error.WriteLine($"excl resume: sweep '{TerminalText.Plain(id)}' was paused; its {view.Count(RunStatus.Paused)} paused runs continue from their checkpoints");
        else if (view.Status == SweepStatus.Running)
            Console.Error.WriteLine($"excl resume: sweep '{TerminalText.Plain(id)}' is running, not paused; its unfinished runs are woken from their checkpoints");
        else if (view.Status == SweepStatus.Completed)
            Console.Error.WriteLine($"excl resume: sweep '{TerminalText.Plain(id)}' is completed; nothing to resume (`excl retry` trains runs again)");
    }

    /// <summary>The grain names the body's fields (runs[1], failed); the command line names its options.</summary>
    private static string CliField(string error) =>
        error.StartsWith("runs[", StringComparison.Ordinal) || error.StartsWith("runs:", StringComparison.Ordinal) ? "--" + error
        : error.StartsWith("failed:", StringComparison.Ordinal) || error.StartsWith("diverged:", StringComparison.Ordinal) ? "--" + error
        : error;
}

/// <summary>The options of `excl retry`, made once per command tree.</summary>
public sealed class RetryOptions
{
    public Option<bool> Failed { get; } = CliOptions.Flag("--failed", "retry every failed run");

    public Option<bool> Diverged { get; } = CliOptions.Flag("--diverged", "retry every diverged run");

    public Option<string?> Runs { get; } = CliOptions.Text("--runs", "retry these runs (numbers as `excl show` lists them)", "none", "3,7");
}
