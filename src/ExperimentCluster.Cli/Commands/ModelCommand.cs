using System.CommandLine;
using System.Globalization;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Cli.Output;
using ExperimentCluster.CommandTrials;
using ExperimentCluster.CommandTrials.Archives;
using ExperimentCluster.Contracts;
using ExperimentCluster.Grains;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl model SWEEP [RUN] [--out PATH]`: what a run leaves its user. A built-in run's network is written as a JSON file
/// (weights, biases, the activation and the scalings fitted on the training rows: TrainedModel); a command trial's
/// checkpoint folder (what its program wrote to {checkpoint_dir}) is unpacked into a folder, or written as it is stored
/// when PATH ends in .tar.gz. Without RUN: the finished run whose checkpoint keep_checkpoints: best keeps, the lowest final
/// validation loss. Never replaces a file or fills a folder that is there.
/// </summary>
public static class ModelCommand
{
    public static Command Create(ConnectionOptions connection)
    {
        var sweep = CliOptions.Positional("SWEEP", "the sweep's id");
        var run = CliOptions.Positional("RUN", "the run's number (as `excl show` lists it); without it, the run whose checkpoint keep_checkpoints: best keeps", required: false);
        var output = CliOptions.Text("--out", "where to write it: a .json file (built-in runs), a folder or a .tar.gz file (command trials)",
            "SWEEP-runN.model.json, or the folder SWEEP-runN-checkpoint", "path");
        var command = new Command("model", "writes a run's trained model (built-in runs: weights as JSON) or its program's checkpoint folder (command trials)")
        {
            sweep, run, output,
        };
        connection.AddTo(command, trains: false);
        command.SetAction(parse => RunAsync(connection.Read(parse), parse.GetValue(sweep)!, parse.GetValue(run), parse.GetValue(output)));
        return command;
    }

    private static Task<int> RunAsync(ConnectionSettings settings, string id, string? runText, string? output)
    {
        var number = RunNumber(runText);
        return WithModelAsync(settings, id, number, (connection, results, view, model) => WriteAsync(connection, results, id, number, view, model, output));
    }

    /// <summary>RUN as given on the command line: a whole number from 0, or null when it was left out.</summary>
    public static int? RunNumber(string? runText) =>
        runText is null ? null
        : int.TryParse(runText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw new CliException($"RUN: '{runText}' is not a run number (a whole number from 0)");

    /// <summary>
    /// Fetches what run <paramref name="number"/> of sweep <paramref name="id"/> keeps (without a number: the run
    /// keep_checkpoints: best keeps) and hands it to <paramref name="use"/> while the connection is open.
    /// </summary>
    public static async Task<T> WithModelAsync<T>(ConnectionSettings settings, string id, int? number, Func<Connection, SweepResults, RunView, RunModel, Task<T>> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        using var interrupt = new Interrupt();
        // A built-in run's data are read again (the scaling is fitted on them): its files are found from the working folder,
        // as on `excl run`, and, on a data folder, from the folders the sweep names them in (`excl run` also read beside
        // the sweep file): the sweep is only known once the folder is open, so it is opened again with those.
        List<string> roots = [Environment.CurrentDirectory];
        while (true)
        {
            await using var connection = await Connection.OpenAsync(settings with { DataRoots = roots }, trains: false, interrupt.Token);
            var results = await connection.Grains.Sweep(id).GetResultsAsync() ?? throw await UnknownSweep.ErrorAsync(connection.Grains, id);
            var (view, model) = await FetchAsync(connection, results, id, number);
            if (model.NeedsData && connection.Embedded && DataFolders(results.SpecJson).Except(roots).ToList() is { Count: > 0 } more)
            {
                roots.AddRange(more);
                continue;
            }
            return await use(connection, results, view, model);
        }
    }

    private static async Task<(RunView View, RunModel Model)> FetchAsync(Connection connection, SweepResults results, string id, int? number)
    {
        var view = number is { } wanted
            ? results.Leaderboard.Concat(results.Measurements ?? []).FirstOrDefault(r => r.Number == wanted)
                ?? throw new CliException($"no run {wanted} in sweep '{id}'")
            : BestKept(results) ?? throw new CliException($"sweep '{id}' has no run that finished with a validation loss yet; name a run: excl model {TerminalText.Plain(id)} RUN");
        return (view, await connection.Grains.Run(id, view.Number).GetModelAsync() ?? throw new CliException($"no run {view.Number} in sweep '{id}'"));
    }

    /// <summary>The folders of the data files the sweep names by a full path.</summary>
    private static IEnumerable<string> DataFolders(string specJson)
    {
        var training = System.Text.Json.Nodes.JsonNode.Parse(specJson)?["training"] as System.Text.Json.Nodes.JsonObject;
        foreach (var key in new[] { "dataset", "split_file" })
        {
            if (training?[key] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var path) && Path.IsPathRooted(path)
                && Path.GetDirectoryName(path) is { Length: > 0 } folder)
                yield return folder;
        }
    }

    private static async Task<int> WriteAsync(Connection connection, SweepResults results, string id, int? number, RunView view, RunModel model, string? output)
    {
        if (number is null && model.Kind != RunModelKind.None && results.BestConfiguration is { Count: > 0 } answer
            && answer.Any(kv => !view.Config.TryGetValue(kv.Key, out var v) || v != kv.Value))
        {
            // The answer judges a configuration by all its seeds; the sweep keeps the one run that ended lowest.
            Console.Error.WriteLine($"note: the answer names {SweepPrinter.ConfigText(answer)}; run {view.Number} is the single run that ended with the lowest validation loss, "
                + "whose checkpoint the sweep keeps (keep_checkpoints: all keeps every run's, so that any can be taken)");
        }
        var about = $"run {view.Number} of '{id}' ({SweepPrinter.ConfigText(view.Config)})";
        switch (model.Kind)
        {
            case RunModelKind.Network:
                var file = output ?? DownloadName.Model(id, view.Number);
                NewPath.CheckFile(file, "--out");
                await File.WriteAllBytesAsync(file, model.Content);
                Console.WriteLine(ModelFile.Wrote(file, $"the network of {about}", model.Epoch));
                return 0;
            case RunModelKind.Folder when output is not null && output.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase):
                NewPath.CheckFile(output, "--out");
                await File.WriteAllBytesAsync(output, model.Content);
                Console.WriteLine($"wrote {output}: the checkpoint folder of {about} after epoch {model.Epoch}, as a gzip-compressed tar");
                return 0;
            case RunModelKind.Folder:
                var folder = output ?? DownloadName.CheckpointFolder(id, view.Number);
                NewPath.CheckFolder(folder, "--out");
                try
                {
                    // The bound a silo's default limit allows, or more for an archive stored under a raised one.
                    var limit = Math.Max(new CommandSettings().MaxCheckpointBytes, model.Content.LongLength);
                    FolderArchive.Unpack(model.Content, folder, FolderArchive.UnpackedBound(limit));
                }
                catch (ArchiveException e)
                {
                    throw new CliException($"the checkpoint folder of {about} cannot be unpacked: {e.Message}");
                }
                var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count();
                Console.WriteLine($"wrote {folder}{Path.DirectorySeparatorChar}: what the program of {about} wrote to its checkpoint folder after epoch {model.Epoch} ({files} file{(files == 1 ? "" : "s")})");
                return 0;
            default:
                throw NoModel(connection, results, id, number, view, model, $"model {ShellWord.Quote(id)}");
        }
    }

    /// <summary>A run that kept nothing; for a named run, the run that keeps one by default is the way on
    /// (<paramref name="bestRunWords"/>: the command's words that take it).</summary>
    public static CliException NoModel(Connection connection, SweepResults results, string id, int? number, RunView view, RunModel model, string bestRunWords)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(model);
        var best = number is null ? null : BestKept(results);
        var instead = best is not null && best.Number != view.Number
            ? $"; the best run's: {connection.CommandLine(bestRunWords)} (run {best.Number})"
            : "";
        return new CliException((model.Problem ?? $"run {view.Number} of '{id}' has no model") + instead);
    }

    /// <summary>The run keep_checkpoints: best keeps (the lowest final validation loss of the finished runs).</summary>
    public static RunView? BestKept(SweepResults results)
    {
        var finished = results.Leaderboard.Where(r => r.Status.IsFinished() && r.FinalValLoss is { } v && double.IsFinite(v)).ToList();
        if (finished.Count == 0)
            return null;
        var first = Aggregation.CheckpointOrder(finished.Select(r => r.Summary()))[0];
        return finished.First(r => r.Number == first.Number);
    }
}
