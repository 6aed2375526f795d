using System.Globalization;
using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>`split_per_seed: true` as a user runs it: each run of the sweep is the run `excl train` trains with the run's
/// seed as its data_seed, to the last digit, and without the setting every seed validates on data_seed 0's rows.</summary>
public sealed class SplitPerSeedTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private static readonly string[] Training = ["--dataset", "iris", "--layers", "8", "--epochs", "5", "--batch-size", "16", "--lr", "0.1"];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Each_run_validates_on_the_rows_its_seed_draws_with_the_setting_and_on_data_seed_0s_without(bool splitPerSeed)
    {
        var folder = Programs.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "sweep.yaml"), $"""
            training: {"{"} dataset: iris, layers: [8], epochs: 5, batch_size: 16 {"}"}
            search: {"{"} strategy: grid, space: {"{"} learning_rate: {"{"} values: [0.1] {"}"} {"}"} {"}"}
            seeds: [0, 2, 5]
            split_per_seed: {(splitPerSeed ? "true" : "false")}
            """);
        var run = await Programs.ExclAsync(folder, Long, ["run", "sweep.yaml", "--id", "s"]);
        Assert.True(run.Code == 0, run.Err);
        // The answer's spread says what it takes in.
        Assert.Equal(splitPerSeed, run.Out.Contains("(mean ± sd over 3 seeds, each on its own validation rows)", StringComparison.Ordinal));
        Assert.Contains("(mean ± sd over 3 seeds", run.Out, StringComparison.Ordinal);
        var export = await Programs.ExclAsync(folder, Long, ["export", "s", "--format", "json", "--out", "s.json"]);
        Assert.True(export.Code == 0, export.Err);
        var runs = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "s.json")))!["runs"]!.AsArray();
        Assert.Equal(3, runs.Count);

        var finals = new List<double>();
        foreach (var r in runs)
        {
            var seed = (int)r!["hyperparameters"]!["seed"]!;
            var dataSeed = splitPerSeed ? seed : 0;
            var alone = await Programs.ExclAsync(folder, Long, ["train", .. Training, "--seed", seed.ToString(CultureInfo.InvariantCulture), "--data-seed", dataSeed.ToString(CultureInfo.InvariantCulture), "--json"]);
            Assert.True(alone.Code == 0, alone.Err);
            var expected = (double)JsonNode.Parse(alone.Out.Trim().Split('\n')[^1])!["val_loss"]!;
            Assert.Equal(expected, (double)r["final_val_loss"]!);
            Assert.Equal(dataSeed, (int)r["settings"]!["data_seed"]!);
            finals.Add(expected);
        }
        Assert.Equal(3, finals.Distinct().Count());
    }
}
