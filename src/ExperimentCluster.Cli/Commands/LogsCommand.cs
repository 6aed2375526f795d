using System.CommandLine;
using System.Globalization;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl logs SWEEP RUN [--follow] [--json]`: a run's kept output (a command trial's log lines and standard error, and
/// the silo's notes about its program), from a data folder or a cluster. With --follow it asks again from where the
/// last answer ended until the run has finished.
/// </summary>
public static class LogsCommand
{
    /// <summary>Characters per request: a long log comes in several pieces rather than one large message.</summary>
    private const int ChunkChars = 65_536;

    private static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(1);

    public static Command Create(ConnectionOptions connection)
    {
        var sweep = CliOptions.Positional("SWEEP", "the sweep's id");
        var run = CliOptions.Positional("RUN", "the run's number (as `excl show` lists it)");
        run.Validators.Add(r =>
        {
            if (r.Tokens is [{ } token] && RunNumber(token.Value) is null)
                r.AddError($"RUN: '{token.Value}' is not a run number (a whole number from 0)");
        });
        var follow = CliOptions.Flag("--follow", "keep printing the run's new output until the run has finished");
        var json = CliOptions.Flag("--json", "one JSON object per piece of output: run, text, start, next");
        var command = new Command("logs", "prints a run's output: its program's log lines and the silo's notes about it") { sweep, run, follow, json };
        connection.AddTo(command, trains: false);
        command.SetAction(parse => RunAsync(parse.GetValue(sweep)!, RunNumber(parse.GetValue(run)!)!.Value, parse.GetValue(follow), parse.GetValue(json), connection.Read(parse)));
        return command;
    }

    public static async Task<int> RunAsync(string id, int number, bool follow, bool json, ConnectionSettings settings)
    {
        using var interrupt = new Interrupt();
        Connection? connection = await Connection.OpenAsync(settings, trains: false, interrupt.Token);
        try
        {
            long from = 0;
            bool printed = false, found = false;
            while (true)
            {
                try
                {
                    if (!found)
                        found = await CheckRunAsync(connection.Grains, id, number);
                    var log = await connection.Grains.Run(id, number).GetLogAsync(from, ChunkChars);
                    printed |= Print(log, from, number, json);
                    from = log.Next;
                    if (log.Text.Length >= ChunkChars)
                        continue; // more is there already
                    if (log.Finished || !follow)
                    {
                        if (!printed && !json)
                            Console.Error.WriteLine($"excl logs: run {number} of '{TerminalText.Plain(id)}' has no output{(log.Finished ? "" : " yet")}");
                        return 0;
                    }
                    // A silo of our own over the folder means no excl process trains there: the run would never move.
                    if (connection.Embedded)
                        throw new CliException($"run {number} of '{id}' has not finished, but nothing is training it now (no excl process runs in this data folder); continue it with: {connection.ResumeCommand(id)}");
                    await Task.Delay(FollowInterval, interrupt.Token);
                }
                catch (Exception e) when (connection.ThroughTrainer && e is OrleansException or TimeoutException)
                {
                    // The excl process that trained the folder has ended (most often: the sweep finished): from now on the
                    // folder itself holds the log, stored with the run's end, once that process has let go of it.
                    var old = connection;
                    connection = null;
                    await old.DisposeAsync();
                    await Task.Delay(TimeSpan.FromMilliseconds(500), interrupt.Token);
                    connection = await Connection.OpenAsync(settings, trains: false, interrupt.Token);
                }
            }
        }
        catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
        {
            // Ctrl-C while following (or while reopening the folder): the run goes on; only the printing stops.
            return 130;
        }
        finally
        {
            if (connection is not null)
                await connection.DisposeAsync();
        }
    }

    /// <summary>Whether this piece held text. Older text dropped before it could be read is said on standard error (text
    /// mode) or by `start` (JSON), never silently.</summary>
    private static bool Print(RunLog log, long from, int number, bool json)
    {
        if (json)
        {
            if (log.Text.Length > 0 || log.Start > from)
                Console.WriteLine(ExclJson.Line(new LogChunkLine(number, log.Text, log.Start, log.Next)));
            return log.Text.Length > 0;
        }
        if (log.Start > from)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"excl logs: {log.Start - from} older characters were dropped (a run keeps its newest output); this continues at character {log.Start}"));
        Console.Write(TerminalText.Output(log.Text));
        return log.Text.Length > 0;
    }

    /// <summary>True for a run that exists; an unknown run or sweep is a bad command line, named.</summary>
    private static async Task<bool> CheckRunAsync(IGrainFactory grains, string id, int number)
    {
        if (await grains.Run(id, number).GetState() is not null)
            return true;
        throw await grains.Sweep(id).GetState() is null ? await UnknownSweep.ErrorAsync(grains, id) : new CliException($"no run {number} in sweep '{id}'");
    }

    private static int? RunNumber(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
