using System.Globalization;
using System.Text.Json;
using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Sweeps;
using ExperimentCluster.Silo.Storage;
using ExperimentCluster.Training;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains.Tests.Cluster;

public sealed class LrRangeSweepTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private static readonly JsonSerializerOptions StoredJson = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>Four architectures (two widths x two activations), twelve short trials.</summary>
    private static string Sweep(int concurrency, int epochs, string dataset = "iris") => $$"""
        {
          "name": "lr-range",
          "training": { "dataset": "{{dataset}}", "optimizer": "sgd", "batch_size": 16, "epochs": {{epochs}} },
          "search": {
            "strategy": "lr-range", "trials": 12, "seed": 4,
            "space": {
              "learning_rate": { "log_uniform": [0.0001, 1] },
              "layers": { "values": [[8], [16]] },
              "activation": { "values": ["relu", "tanh"] }
            }
          },
          "concurrency": {{concurrency}}
        }
        """;

    [Fact]
    public async Task An_lr_range_sweep_tests_each_architecture_once_stores_the_bounds_and_keeps_every_rate_inside_them()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "lr-range-" + Guid.NewGuid().ToString("N")[..6];
        var json = Sweep(concurrency: 4, epochs: 3);

        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(json)).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);

        Assert.Equal(SweepStatus.Completed, done.Status);
        Assert.Equal(12, done.Count(RunStatus.Completed));
        var definition = SweepDefinition.Parse(json);
        var search = (LrRangeSearch)definition.CreateStrategy();
        var stored = StoredRanges(test.DatabasePath, id);
        var runs = (await test.Grains.Sweep(id).GetResultsAsync())!.Leaderboard;
        var architectures = runs.Select(r => search.ArchitectureKey(definition.Space, r.Config)).ToHashSet();
        // One stored test per architecture that ran, and none for any other.
        Assert.Equal(architectures.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, range) in stored)
        {
            // The stored bounds are those of a range test of that very architecture (the test is deterministic).
            var config = runs.First(r => search.ArchitectureKey(definition.Space, r.Config) == key).Config;
            var (min, max) = search.TestRange(definition.Space);
            var measured = LrRangeTest.Run(definition.SpecFor(config), min, max, search.Steps);
            var suggested = LrRangeSearch.SuggestFromCurve(measured.Points.Select(p => p.LearningRate).ToList(), measured.Points.Select(p => p.SmoothedLoss).ToList());
            Assert.Equal(search.RangeFrom(definition.Space, suggested), range);
        }
        foreach (var run in runs)
        {
            var range = stored[search.ArchitectureKey(definition.Space, run.Config)];
            Assert.InRange(double.Parse(run.Config["learning_rate"], CultureInfo.InvariantCulture), range.Lower, range.Upper);
        }
        Assert.Contains($"{stored.Count} range test(s)", (await test.Grains.Sweep(id).GetResultsAsync())!.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_lr_range_sweep_interrupted_by_a_cluster_restart_suggests_exactly_what_an_uninterrupted_one_does()
    {
        // Digits, one run at a time: slow enough that the sweep is caught part-way.
        var json = Sweep(concurrency: 1, epochs: 6, dataset: "digits");
        var databasePath = Path.Combine(Path.GetTempPath(), $"excl-test-{Guid.NewGuid():N}", "experiments.db");
        var interrupted = "lr-range-restart-" + Guid.NewGuid().ToString("N")[..6];
        var uninterrupted = "lr-range-plain-" + Guid.NewGuid().ToString("N")[..6];
        Dictionary<string, LrRange> before;
        await using (var first = await ExperimentTestCluster.StartAsync(silos: 1, databasePath))
        {
            Assert.Null((await first.Grains.Sweep(interrupted).SubmitAsync(json)).Error);
            var caught = await first.WaitForSweepAsync(interrupted, v => v.Counts.Values.Sum() >= 4, Long);
            before = StoredRanges(databasePath, interrupted);
            Assert.Equal(SweepStatus.Running, caught.Status);
            Assert.True(caught.Count(RunStatus.Completed) < 12);
        }

        await using var again = await ExperimentTestCluster.StartAsync(silos: 1, databasePath);
        await again.Grains.Sweep(interrupted).ResumeAsync();
        Assert.Null((await again.Grains.Sweep(uninterrupted).SubmitAsync(json)).Error);
        await again.WaitForSweepAsync(interrupted, v => v.Status != SweepStatus.Running, Long);
        await again.WaitForSweepAsync(uninterrupted, v => v.Status != SweepStatus.Running, Long);

        Assert.NotEmpty(before);
        var after = StoredRanges(databasePath, interrupted);
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
        Assert.Equal(await Configs(again, uninterrupted), await Configs(again, interrupted));
        Assert.Equal(StoredRanges(databasePath, uninterrupted), after);
    }

    private static async Task<List<string>> Configs(ExperimentTestCluster cluster, string id)
    {
        var results = (await cluster.Grains.Sweep(id).GetResultsAsync())!;
        Assert.Equal(12, results.Leaderboard.Count(r => r.Status == RunStatus.Completed));
        return results.Leaderboard.OrderBy(r => r.Number).Select(r => TrialConfig.From(r.Config).Key).ToList();
    }

    private static Dictionary<string, LrRange> StoredRanges(string databasePath, string id)
    {
        var text = SqliteStateInspector.ReadStateJson(databasePath, GrainId.Create("sweep", id), "sweep")!;
        return JsonSerializer.Deserialize<SweepState>(text, StoredJson)!.LrRanges;
    }
}
