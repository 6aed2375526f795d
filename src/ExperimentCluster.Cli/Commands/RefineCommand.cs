using System.CommandLine;
using System.Text.Json;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Contracts;
using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl refine ID [--out FILE] [--around half-decade|decade] [--grid N] [--search-others]`: writes the next sweep file
/// around the sweep's best learning rate (see <see cref="SweepRefinement"/>), to standard output or to FILE.
/// </summary>
public static class RefineCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(ConnectionOptions connection)
    {
        var id = CliOptions.Positional("ID", "the finished sweep's id");
        var output = CliOptions.Text("--out", "the sweep file to write (JSON)", "standard output", "file");
        var around = CliOptions.TextWithDefault("--around", "half-decade", "how far each way from the best learning rate", "half-decade|decade");
        var grid = CliOptions.Int("--grid", 5, "rates in the finer grid (for grid and lr-decades sweeps; random and tpe get a log-uniform range)");
        var others = CliOptions.Flag("--search-others", "keep searching the other hyperparameters' original space instead of fixing them at the best run's values");
        var command = new Command("refine", "writes the next sweep file: the learning rate searched around the sweep's best") { id, output, around, grid, others };
        connection.AddTo(command, trains: false);
        command.SetAction(parse => RunAsync(connection.Read(parse), parse.GetValue(id)!, parse.GetValue(output), parse.GetRequiredValue(around),
            parse.GetValue(grid), parse.GetValue(others)));
        return command;
    }

    private static async Task<int> RunAsync(ConnectionSettings settings, string id, string? output, string around, int grid, bool searchOthers)
    {
        var halfWidth = around switch
        {
            "half-decade" => 0.5,
            "decade" => 1.0,
            _ => throw new CliException($"--around: '{around}' is not a width; use half-decade or decade"),
        };
        if (grid is < SweepRefinement.MinGrid or > SweepRefinement.MaxGrid)
            throw new CliException($"--grid: must be between {SweepRefinement.MinGrid} and {SweepRefinement.MaxGrid}");
        await using var connection = await Connection.OpenAsync(settings, trains: false, CancellationToken.None);
        var results = await connection.Grains.Sweep(id).GetResultsAsync() ?? throw new CliException($"no sweep '{id}'");
        string text;
        try
        {
            var definition = SweepDefinition.Parse(results.SpecJson);
            // The same answer the sweep printed, recomputed from its runs: its best configuration is what is refined.
            var runs = results.Leaderboard
                .Select(r => new RunSummary(r.Number, r.Config, r.Status.ToString(), r.BestValLoss, r.FinalValLoss, r.Epochs, r.DivergedAtEpoch))
                .ToList();
            var answer = SweepAnswer.For(id, definition.CreateStrategy().Answers(definition.Space), definition.Space, runs, null, finished: true);
            text = SweepRefinement.Next(results.SpecJson, answer, halfWidth, grid, searchOthers).ToJsonString(Indented) + Environment.NewLine;
        }
        catch (SweepException e)
        {
            throw new CliException($"sweep '{id}': {e.Message}");
        }
        if (output is null)
            Console.Write(text);
        else
            await File.WriteAllTextAsync(output, text);
        return 0;
    }
}
