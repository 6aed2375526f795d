using System.Globalization;
using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>Which rows a sweep's runs validate on, as a user runs it: each run is the run `excl train` trains with the
/// data_seed (`split_per_seed`) or the fold (`folds`) its seed gives it, to the last digit; without either, every seed
/// validates on data_seed 0's rows. The answer says what its spread takes in.</summary>
public sealed class ValidationRowsSweepTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private static readonly string[] Training = ["--dataset", "iris", "--layers", "8", "--epochs", "5", "--batch-size", "16", "--lr", "0.1"];

    [Theory]
    [InlineData("split_per_seed: true", "seeds: [0, 2, 5]", "(mean ± sd over 3 seeds, each on its own validation rows)")]
    [InlineData("split_per_seed: false", "seeds: [0, 2, 5]", "(mean ± sd over 3 seeds)")]
    [InlineData("folds: 3", "", "(mean ± sd over 3 seeds, each validating on one of 3 folds)")]
    public async Task Each_run_validates_on_the_rows_its_seed_gives_it(string setting, string seeds, string spread)
    {
        var folder = Programs.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "sweep.yaml"), $$"""
            training: { dataset: iris, layers: [8], epochs: 5, batch_size: 16 }
            search: { strategy: grid, space: { learning_rate: { values: [0.1] } } }
            {{seeds}}
            {{setting}}
            """);
        var run = await Programs.ExclAsync(folder, Long, ["run", "sweep.yaml", "--id", "s"]);
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains(spread, run.Out, StringComparison.Ordinal);
        var export = await Programs.ExclAsync(folder, Long, ["export", "s", "--format", "json", "--out", "s.json"]);
        Assert.True(export.Code == 0, export.Err);
        var runs = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "s.json")))!["runs"]!.AsArray();
        Assert.Equal(3, runs.Count);

        var finals = new List<double>();
        foreach (var r in runs)
        {
            var seed = (int)r!["hyperparameters"]!["seed"]!;
            var settings = r["settings"]!;
            string[] rows = setting switch
            {
                "split_per_seed: true" => ["--data-seed", Text(seed)],
                "folds: 3" => ["--folds", "3", "--fold", Text(seed)],   // seeds 0, 1, 2: the i-th seed is seed i
                _ => [],
            };
            Assert.Equal(setting == "split_per_seed: true" ? seed : 0, (int)settings["data_seed"]!);
            Assert.Equal(setting == "folds: 3" ? seed : 0, (int)settings["fold"]!);
            var alone = await Programs.ExclAsync(folder, Long, ["train", .. Training, "--seed", Text(seed), .. rows, "--json"]);
            Assert.True(alone.Code == 0, alone.Err);
            var expected = (double)JsonNode.Parse(alone.Out.Trim().Split('\n')[^1])!["val_loss"]!;
            Assert.Equal(expected, (double)r["final_val_loss"]!);
            finals.Add(expected);
        }
        Assert.Equal(3, finals.Distinct().Count());
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
