using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ExperimentCluster.Contracts;
using ExperimentCluster.SweepModel;
using Spectre.Console;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// The sweep commands: run and resume (which train, embedded by default), and submit, watch, list, show, cancel,
/// export, which work the same against a cluster (--gateway) or a data folder (--data-dir).
/// </summary>
public static class SweepCommands
{
    public static async Task<int> RunAsync(ParseResult args, SweepOptions o)
    {
        var (text, source, name) = SweepText(args, o);
        var upload = Upload(args, o, ref text);
        var id = NewSweepId(args, o, name);
        var json = args.GetValue(o.Json);
        var output = args.GetValue(o.ResultsFolder);
        using var interrupt = new Interrupt();
        // The embedded silo trains the user's own files: next to the sweep file and in the working folder.
        string[] roots = args.GetValue(o.Example) is null ? [Environment.CurrentDirectory, Path.GetDirectoryName(Path.GetFullPath(source))!] : [Environment.CurrentDirectory];
        await using var connection = await Connection.OpenAsync(o.Connection.Read(args) with { DataRoots = roots }, trains: true, interrupt.Token);
        if (upload is not null)
            await upload.StoreAsync(connection.Grains);
        var result = await connection.Grains.Sweep(id).SubmitAsync(text);
        if (result.Error is not null)
            throw new CliException($"{source}: {result.Error}");
        return await FollowAndReportAsync(connection, id, json, output, interrupt);
    }

    public static async Task<int> ResumeAsync(ParseResult args, SweepOptions o)
    {
        var id = args.GetValue(o.SweepId)!;
        var json = args.GetValue(o.Json);
        var output = args.GetValue(o.ResultsFolder);
        using var interrupt = new Interrupt();
        // The sweep file's folder is not stored with the sweep; the working folder is the user's as on `excl run`.
        var settings = o.Connection.Read(args) with { DataRoots = [Environment.CurrentDirectory] };
        await using var connection = await Connection.OpenAsync(settings, trains: true, interrupt.Token);
        await PauseRetryCommands.NoteBeforeResumeAsync(connection.Grains, id);
        var view = await connection.Grains.Sweep(id).ResumeAsync();
        if (view.Status is SweepStatus.Cancelled or SweepStatus.Failed)
            Console.Error.WriteLine($"excl resume: sweep '{TerminalText.Plain(id)}' was {view.Status.ToWord()}; nothing to resume");
        return await FollowAndReportAsync(connection, id, json, output, interrupt);
    }

    public static async Task<int> SubmitAsync(ParseResult args, SweepOptions o)
    {
        var (text, source, name) = SweepText(args, o);
        var id = NewSweepId(args, o, name);
        var json = args.GetValue(o.Json);
        var settings = o.Connection.Read(args);
        if (!settings.IsCluster)
            throw new CliException("--gateway: submit needs a cluster (host:port,..., --redis host:port or --postgres CONNECTION); use `excl run` to train here");
        var upload = Upload(args, o, ref text);
        await using var connection = await Connection.OpenAsync(settings, trains: false, CancellationToken.None);
        if (upload is not null)
            await upload.StoreAsync(connection.Grains);
        var result = await connection.Grains.Sweep(id).SubmitAsync(text);
        if (result.Error is not null)
            throw new CliException($"{source}: {result.Error}");
        Console.WriteLine(json ? ExclJson.Line(new SweepIdLine(id)) : id);
        return 0;
    }

    public static async Task<int> WatchAsync(ParseResult args, SweepOptions o)
    {
        var id = args.GetValue(o.SweepId)!;
        var json = args.GetValue(o.Json);
        var settings = o.Connection.Read(args);
        using var interrupt = new Interrupt();
        var connection = await Connection.OpenAsync(settings, trains: false, interrupt.Token);
        try
        {
            while (true)
            {
                // A silo of our own over the folder means no excl process trains there: the sweep would never move.
                if (connection.Embedded && await connection.Grains.Sweep(id).GetState() is { Status: SweepStatus.Running })
                    throw new CliException($"nothing is training sweep '{id}' now (no excl process runs in this data folder); continue it with: {connection.ResumeCommand(id)}");
                try
                {
                    var followed = await LiveView.FollowAsync(connection.Grains, id, json, Outage(connection), interrupt.Token);
                    if (followed.Status == SweepStatus.Paused)
                    {
                        // As `excl run` says it: a paused sweep has no results yet (its answer read "no run finished"), only a way on.
                        Console.Error.WriteLine($"sweep {TerminalText.Plain(id)} is paused; continue it with: {connection.ResumeCommand(id)}");
                        return 0;
                    }
                    var results = await connection.Grains.Sweep(id).GetResultsAsync() ?? throw await UnknownSweep.ErrorAsync(connection.Grains, id);
                    if (json)
                        Console.WriteLine(SweepPrinter.SummaryLine(results));
                    else
                    {
                        SweepPrinter.Tables(results, await MeasurementTable.CurvesAsync(connection.Grains, results));
                        SweepPrinter.FailedRuns(results, connection);
                        SweepPrinter.Answer(results, connection);
                    }
                    return 0;
                }
                catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
                {
                    return 130;
                }
                catch (Exception e) when (connection.ThroughTrainer && e is OrleansException or TimeoutException)
                {
                    // The excl process that trained the folder has ended (its sweep finished, or it was stopped), while
                    // following or just before the results were read: from now on the folder itself is the truth, once
                    // that process has let go of it.
                    await connection.DisposeAsync();
                    await Task.Delay(TimeSpan.FromMilliseconds(500), interrupt.Token);
                    connection = await Connection.OpenAsync(settings, trains: false, interrupt.Token);
                }
            }
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    public static async Task<int> ListAsync(ParseResult args, SweepOptions o)
    {
        var json = args.GetValue(o.Json);
        await using var connection = await Connection.OpenAsync(o.Connection.Read(args), trains: false, CancellationToken.None);
        var ids = await connection.Grains.SweepIndex().ListAsync();
        var views = (await Task.WhenAll(ids.Select(i => connection.Grains.Sweep(i).GetState()))).Where(v => v is not null).Select(v => v!).ToList();
        if (json)
        {
            foreach (var v in views)
            {
                Console.WriteLine(ExclJson.Line(SweepListLine.From(v)));
            }
            return 0;
        }
        if (views.Count == 0)
        {
            // Rather than an empty table: say where it looked (a wrong --data-dir is the usual reason) and how to begin.
            var start = connection.CommandLine((connection.IsCluster ? "submit" : "run") + " --example quick");
            Console.WriteLine($"no sweeps in {connection.Where} yet; start one with: {TerminalText.Plain(start)}");
            return 0;
        }
        var table = new Table().AddColumns("id", "name", "status", "runs", "diverged", "best val loss", "created");
        foreach (var v in views)
        {
            table.AddRow(TerminalText.Markup(v.Id), TerminalText.Markup(v.Name), v.Status.ToWord(), $"{v.FinishedRuns}/{v.PlannedRuns}",
                v.Count(RunStatus.Diverged).ToString(CultureInfo.InvariantCulture), SweepPrinter.Num(v.BestValLoss),
                v.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        return 0;
    }

    public static async Task<int> ShowAsync(ParseResult args, SweepOptions o)
    {
        var id = args.GetValue(o.SweepId)!;
        var json = args.GetValue(o.Json);
        await using var connection = await Connection.OpenAsync(o.Connection.Read(args), trains: false, CancellationToken.None);
        var results = await connection.Grains.Sweep(id).GetResultsAsync() ?? throw await UnknownSweep.ErrorAsync(connection.Grains, id);
        if (json)
            Console.WriteLine(SweepPrinter.SummaryLine(results));
        else
        {
            SweepPrinter.Answer(results, connection);
            SweepPrinter.Tables(results, await MeasurementTable.CurvesAsync(connection.Grains, results), top: 50);
            SweepPrinter.FailedRuns(results, connection);
            EditPrinter.Write(await connection.Grains.Sweep(id).GetEditsAsync());
        }
        return 0;
    }

    public static async Task<int> CancelAsync(ParseResult args, SweepOptions o)
    {
        var id = args.GetValue(o.SweepId)!;
        await using var connection = await Connection.OpenAsync(o.Connection.Read(args), trains: false, CancellationToken.None);
        if (await connection.Grains.Sweep(id).GetState() is null)
            throw await UnknownSweep.ErrorAsync(connection.Grains, id);
        var view = await connection.Grains.Sweep(id).CancelAsync();
        Console.WriteLine($"{TerminalText.Plain(id)}: {view.Status.ToWord()}");
        return 0;
    }

    public static async Task<int> ExportAsync(ParseResult args, SweepOptions o)
    {
        var id = args.GetValue(o.SweepId)!;
        var format = args.GetRequiredValue(o.Format);
        if (format is not ("csv" or "json"))
            throw new CliException($"--format: '{format}' is not a format; use csv or json");
        var output = args.GetValue(o.ExportFile);
        await using var connection = await Connection.OpenAsync(o.Connection.Read(args), trains: false, CancellationToken.None);
        var (results, runs) = await SweepResultsWriter.FetchAsync(connection.Grains, id);
        var text = format == "csv" ? SweepResultsWriter.Csv(results, runs) : SweepResultsWriter.JsonDocument(results, runs);
        if (output is null)
            Console.Write(text);
        else
            await File.WriteAllTextAsync(output, text);
        return 0;
    }

    internal static async Task<int> FollowAndReportAsync(Connection connection, string id, bool json, string? output, Interrupt interrupt)
    {
        // Where the results go is settled before the sweep trains: an id that cannot be a folder name fails now, not after.
        var target = output ?? ResultsFolder(id);
        if (connection.PageAddress is { } page)
            Console.Error.WriteLine($"experiments page: {page}/   Orleans dashboard: {page}/dashboard/");
        if (json)
            Console.WriteLine(ExclJson.Line(new SweepIdLine(id)));
        else
            Console.WriteLine($"sweep {TerminalText.Plain(id)} ({connection.Where})");
        SweepView view;
        try
        {
            view = await LiveView.FollowAsync(connection.Grains, id, json, Outage(connection), interrupt.Token);
        }
        catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
        {
            // The checkpoints are stored after every epoch; stopping the silo keeps them.
            Console.Error.WriteLine($"interrupted; resume with: {connection.ResumeCommand(id)}");
            return 130;
        }
        if (view.Status == SweepStatus.Paused)
        {
            Console.Error.WriteLine($"sweep {TerminalText.Plain(id)} was paused; continue it with: {connection.ResumeCommand(id)}");
            return 0;
        }
        var results = await connection.Grains.Sweep(id).GetResultsAsync() ?? throw await UnknownSweep.ErrorAsync(connection.Grains, id);
        var folder = await SweepResultsWriter.WriteFolderAsync(connection.Grains, id, target);
        if (json)
        {
            Console.WriteLine(SweepPrinter.SummaryLine(results));
        }
        else
        {
            SweepPrinter.Tables(results, await MeasurementTable.CurvesAsync(connection.Grains, results));
            SweepPrinter.FailedRuns(results, connection);
            SweepPrinter.Answer(results, connection);
            Console.WriteLine($"results: {TerminalText.Plain(folder)}");
        }
        return view.Status == SweepStatus.Completed ? 0 : 1;
    }

    /// <summary>
    /// The sweep file (or example) as the JSON the cluster takes, its source for messages, and its name. The schema is
    /// checked here, once, with no data read: the data sets are checked where the runs train, which may be a cluster whose
    /// files this machine cannot see.
    /// </summary>
    private static (string Text, string Source, string Name) SweepText(ParseResult args, SweepOptions o)
    {
        var example = args.GetValue(o.Example);
        string text, source;
        if (example is not null)
        {
            if (args.GetValue(o.File) is not null)
                throw new CliException("give a sweep file or --example NAME, not both");
            (text, source) = (Examples.Text(example), $"example {example}");
        }
        else
        {
            source = args.GetValue(o.File) ?? throw new CliException("give one sweep file (or --example NAME; `excl examples` lists them)");
            if (Directory.Exists(source))
                throw new CliException($"{source}: is a folder, not a sweep file");
            if (!File.Exists(source))
                throw new CliException($"{source}: no such file{NearbyFile(source)}");
            text = ReadLimited(source);
        }
        try
        {
            if (SweepYaml.IsYamlPath(source))
                text = SweepYaml.ToJson(text);
            return (text, source, SweepDefinition.Parse(text).Name);
        }
        catch (SweepException e)
        {
            throw new CliException($"{source}: {e.Message}");
        }
    }

    /// <summary>" (did you mean 'gp.yaml'?)" for a file beside the one named that is one typo away (gp.yml), or "".</summary>
    private static string NearbyFile(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        return folder is not null && Directory.Exists(folder)
            ? Spelling.Hint(Path.GetFileName(path), Directory.EnumerateFiles(folder).Take(10_000).Select(f => Path.GetFileName(f)), maxEdits: 1)
            : "";
    }

    /// <summary>--upload DIR: the folder packed and the sweep's text changed to name it, or null without the option.</summary>
    private static CodeUpload? Upload(ParseResult args, SweepOptions o, ref string text)
    {
        if (args.GetValue(o.Upload) is not { } folder)
            return null;
        var upload = CodeUpload.Prepare(folder, text);
        text = upload.SweepJson;
        return upload;
    }

    /// <summary>
    /// A cluster's follower rides out a silo's death (the sweep moves to a survivor); in a data folder the silo is this
    /// process or the excl process training there, and a lost connection means that process ended (WatchAsync reopens).
    /// </summary>
    private static TimeSpan Outage(Connection connection) =>
        connection.Embedded || connection.ThroughTrainer ? TimeSpan.Zero : LiveView.ClusterOutage;

    /// <summary>The command that continues the sweep where this connection found it (its data folder or cluster).</summary>
    /// <summary>--id, checked by the sweep model's id rule before anything connects, or a generated id that follows it.</summary>
    private static string NewSweepId(ParseResult args, SweepOptions o, string name)
    {
        if (args.GetValue(o.NewId) is not { } id)
            return SweepId.New(name, DateTime.UtcNow, Random.Shared.Next(0x10000));
        if (SweepId.Problem(id) is { } problem)
            throw new CliException($"--id: {problem}");
        return id;
    }

    private static string ResultsFolder(string id)
    {
        try
        {
            return SweepId.ResultsFolder("excl-results", id);
        }
        catch (SweepException e)
        {
            throw new CliException($"{e.Message}; give the results folder with --out");
        }
    }

    /// <summary>The file's text, refused by its size before it is read: the API refuses the same files with 413.</summary>
    private static string ReadLimited(string path)
    {
        var limit = SweepLimits.DefaultMaxFileBytes;
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.CanSeek)
                SweepLimits.CheckSize(stream.Length, limit);
            // A device or a pipe has no length: read one byte past the limit at most.
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit + 1 - buffer.Length))) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limit)
                    throw new SweepException("$", SweepLimits.TooLarge(-1, limit));
            }
            buffer.Position = 0;
            using var reader = new StreamReader(buffer);
            return reader.ReadToEnd();
        }
        catch (SweepException e)
        {
            throw new CliException($"{path}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot be read: {e.Message}");
        }
    }
}
