using System.CommandLine;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Contracts;
using ExperimentCluster.Grains;
using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl refine ID [--out FILE] [--around half-decade|decade] [--grid N] [--search-others] [--run [--id NEW] [--json]]`:
/// the next sweep file around the sweep's best learning rate (see <see cref="SweepRefinement"/>), warm-started from the
/// sweep (`warm_start: { sweeps: [ID] }`), so the rates it measured are not trained again. Without --run it is written to
/// standard output or FILE (a file to read and edit before running it); with --run it is also submitted and followed
/// like `excl run` (embedded, or on the cluster --gateway names), and FILE, when given, keeps a copy.
/// </summary>
public static class RefineCommand
{
    public static Command Create(ConnectionOptions connection)
    {
        var id = CliOptions.Positional("ID", "the finished sweep's id");
        var output = CliOptions.Text("--out", "the sweep file to write (JSON)", "standard output (with --run: none)", "file");
        var around = CliOptions.TextWithDefault("--around", "half-decade", "how far each way from the best learning rate", "half-decade|decade");
        var grid = CliOptions.Int("--grid", 5, "rates in the finer grid (for grid and lr-decades sweeps; random and tpe get a log-uniform range)");
        var others = CliOptions.Flag("--search-others", "keep searching the other hyperparameters' original space instead of fixing them at the best run's values");
        var run = CliOptions.Flag("--run", "run the refined sweep now and follow it as `excl run` does");
        var newId = CliOptions.Text("--id", "with --run: the refined sweep's id", "generated from its name", "id");
        var json = CliOptions.Flag("--json", "with --run: JSON lines, as `excl run --json`");
        var command = new Command("refine", "the next sweep around the sweep's best learning rate, warm-started from it: writes its file, or runs it (--run)")
        {
            id, output, around, grid, others, run, newId, json,
        };
        connection.AddTo(command, trains: true);
        command.SetAction(parse => RunAsync(connection.Read(parse), parse.GetValue(id)!, parse.GetValue(output), parse.GetRequiredValue(around),
            parse.GetValue(grid), parse.GetValue(others), parse.GetValue(run) ? new RunRequest(parse.GetValue(newId), parse.GetValue(json)) : null));
        return command;
    }

    private sealed record RunRequest(string? Id, bool Json);

    private static async Task<int> RunAsync(ConnectionSettings settings, string id, string? output, string around, int grid, bool searchOthers, RunRequest? run)
    {
        var halfWidth = around switch
        {
            "half-decade" => 0.5,
            "decade" => 1.0,
            _ => throw new CliException($"--around: '{around}' is not a width; use half-decade or decade"),
        };
        if (grid is < SweepRefinement.MinGrid or > SweepRefinement.MaxGrid)
            throw new CliException($"--grid: must be between {SweepRefinement.MinGrid} and {SweepRefinement.MaxGrid}");
        if (run?.Id is { } wanted && SweepId.Problem(wanted) is { } badId)
            throw new CliException($"--id: {badId}");
        using var interrupt = new Interrupt();
        // Only a refinement that runs trains here: the embedded silo reads the user's files from the working folder, as on `excl run`.
        var connectTo = run is null ? settings : settings with { DataRoots = [Environment.CurrentDirectory] };
        await using var connection = await Connection.OpenAsync(connectTo, trains: run is not null, interrupt.Token);
        var results = await connection.Grains.Sweep(id).GetResultsAsync() ?? throw await UnknownSweep.ErrorAsync(connection.Grains, id);
        string text;
        string name;
        try
        {
            var definition = SweepDefinition.Parse(results.SpecJson);
            // The same answer the sweep printed, recomputed from its runs: its best configuration is what is refined.
            var runs = results.Leaderboard.Select(r => r.Summary()).ToList();
            var answer = SweepAnswer.For(id, definition.CreateStrategy().Answers(definition.Space), definition.Space, runs, null, finished: true, definition.Objective);
            var measured = runs.Select(r => r.Config.TryGetValue(SweepAnswer.LearningRate, out var v)
                && double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x) ? x : 0).ToList();
            var next = SweepRefinement.Next(results.SpecJson, answer, halfWidth, grid, searchOthers, warmStartFrom: id, measuredRates: measured);
            name = (string)next["name"]!;
            text = SweepFileText.Format(next);
        }
        catch (SweepException e)
        {
            throw new CliException($"sweep '{id}': {e.Message}");
        }
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, SweepYamlWriter.ForPath(output, text));
            // Rather than nothing: the file is there to be read and run, and the run needs the options that reach the
            // warm start's sweep (its data folder or cluster).
            if (run is null)
                Console.WriteLine($"wrote {output} ({name}, warm-started from {id}); run it with: {connection.CommandLine((connection.IsCluster ? "submit " : "run ") + ShellWord.Quote(output))}");
        }
        else if (run is null)
            Console.Write(text);
        if (run is null)
            return 0;

        var refinedId = run.Id ?? SweepId.New(name, DateTime.UtcNow, Random.Shared.Next(0x10000));
        var submitted = await connection.Grains.Sweep(refinedId).SubmitAsync(text);
        if (submitted.Error is not null)
            throw new CliException($"refined sweep '{refinedId}': {submitted.Error}");
        return await SweepCommands.FollowAndReportAsync(connection, refinedId, run.Json, null, interrupt);
    }
}
