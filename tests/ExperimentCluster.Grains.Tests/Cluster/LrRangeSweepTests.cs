using System.Globalization;
using ExperimentCluster.Contracts;
using ExperimentCluster.SweepModel;
using ExperimentCluster.Training;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains.Tests.Cluster;

public sealed class LrRangeSweepTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    /// <summary>Four architectures (two widths x two activations), twelve short trials.</summary>
    private static string Sweep(int concurrency, int epochs, string dataset = "iris", int steps = 100, string layers = "[8], [16]") => $$"""
        {
          "name": "lr-range",
          "training": { "dataset": "{{dataset}}", "optimizer": "sgd", "batch_size": 16, "epochs": {{epochs}} },
          "search": {
            "strategy": "lr-range", "trials": 12, "seed": 4,
            "settings": { "steps": {{steps}} },
            "space": {
              "learning_rate": { "log_uniform": [0.0001, 1] },
              "layers": { "values": [{{layers}}] },
              "activation": { "values": ["relu", "tanh"] }
            }
          },
          "concurrency": {{concurrency}}
        }
        """;

    [Fact]
    public void The_strategy_asks_for_the_run_kind_the_silos_train()
    {
        Assert.Contains(LrRangeSearch.MeasurementKind, RunTrainers.Kinds);
        Assert.Equal(LrRangeTestTrainer.Kind, LrRangeSearch.MeasurementKind);
    }

    [Fact]
    public async Task An_lr_range_sweep_runs_one_range_test_run_per_architecture_and_keeps_every_rate_inside_its_bounds()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "lr-range-" + Guid.NewGuid().ToString("N")[..6];
        var json = Sweep(concurrency: 4, epochs: 3);

        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(json)).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);

        Assert.Equal(SweepStatus.Completed, done.Status);
        var definition = SweepDefinition.Parse(json);
        var search = (LrRangeSearch)definition.CreateStrategy();
        var results = (await test.Grains.Sweep(id).GetResultsAsync())!;
        var runs = results.Leaderboard;
        var tests = results.Measurements!;
        Assert.Equal(12, runs.Count(r => r.Status == RunStatus.Completed));
        Assert.Equal(12 + tests.Count, done.Count(RunStatus.Completed));

        // One range-test run per architecture that trained, and none for any other.
        var architectures = runs.Select(r => search.ArchitectureKey(definition.Space, r.Config)).ToHashSet();
        Assert.Equal(architectures.Order(StringComparer.Ordinal), tests.Select(t => search.ArchitectureKey(definition.Space, t.Config)).Order(StringComparer.Ordinal));
        var (min, max) = search.TestRange(definition.Space);
        foreach (var t in tests)
        {
            // Each is a run like any other (a slot, a trajectory of chunks) whose result is exactly what the range test gives.
            Assert.Equal(LrRangeSearch.MeasurementKind, t.Kind);
            Assert.Equal(RunStatus.Completed, t.Status);
            Assert.True(t.Epochs > 0);
            var measured = LrRangeTest.Run(definition.SpecFor(t.Config), min, max, search.Steps);
            Assert.Equal(measured.SuggestedLearningRate, t.Result);
            var detail = (await test.Grains.Run(id, t.Number).GetDetailAsync(0))!;
            Assert.Equal(t.Epochs, detail.Metrics.Count);
            var model = (await test.Grains.Run(id, t.Number).GetModelAsync())!;
            Assert.Equal(RunModelKind.None, model.Kind);
            Assert.Equal($"run {t.Number} is a {LrRangeSearch.MeasurementKind} measurement, not a training run: it has no model", model.Problem);
        }
        var context = new SearchContext(definition.Space, definition.SearchSeed, [], definition.MaxRuns, definition.MaxEpochs)
        {
            Measurements = [.. tests.Select(t => new Measurement(t.Kind!, t.Config.Where(kv => kv.Key != "seed").ToDictionary(), true, t.Result))],
        };
        var ranges = search.Ranges(context);
        foreach (var run in runs)
        {
            var range = ranges[search.ArchitectureKey(definition.Space, run.Config)];
            Assert.InRange(double.Parse(run.Config["learning_rate"], CultureInfo.InvariantCulture), range.Lower, range.Upper);
        }
        // The range tests are not scored: the sweep's best is a training run's.
        Assert.Contains(runs, r => r.Number == done.BestRun);
        Assert.Contains($"{tests.Count} range test(s)", results.Explanation, StringComparison.Ordinal);
        // Its drawn rates rarely repeat, so the per-value summaries give decades, not one line per run.
        var rates = results.PerValue.Where(v => v.Parameter == "learning_rate").Select(v => v.Value).ToList();
        Assert.All(rates, v => Assert.Matches("^\"[0-9.e-]+\\.\\.[0-9.e-]+\"$", v));
        Assert.True(rates.Count <= 4, string.Join(", ", rates));
    }

    [Fact]
    public async Task A_range_test_run_killed_mid_way_resumes_from_its_checkpoint_and_suggests_what_an_uninterrupted_one_does()
    {
        // One run at a time on digits with a wide network and many mini-batches, so the first range test is caught part-way.
        var json = Sweep(concurrency: 1, epochs: 2, dataset: "digits", steps: 1500, layers: "[256, 256]");
        var databasePath = Path.Combine(Path.GetTempPath(), $"excl-test-{Guid.NewGuid():N}", "experiments.db");
        var id = "lr-range-kill-" + Guid.NewGuid().ToString("N")[..6];
        int chunksBefore;
        await using (var first = await ExperimentTestCluster.StartAsync(silos: 1, databasePath))
        {
            Assert.Null((await first.Grains.Sweep(id).SubmitAsync(json)).Error);
            var caught = await ExperimentTestCluster.WaitForAsync(
                () => first.Grains.Run(id, 0).GetState(), v => v is { Epochs: >= 3 }, Long, v => $"{v?.Status} after {v?.Epochs} chunks");
            Assert.Equal(RunStatus.Running, caught!.Status);
            chunksBefore = caught.Epochs;
        }

        await using var again = await ExperimentTestCluster.StartAsync(silos: 1, databasePath);
        await again.Grains.Sweep(id).ResumeAsync();
        var test = await ExperimentTestCluster.WaitForAsync(
            () => again.Grains.Run(id, 0).GetState(), v => v is { Status: not RunStatus.Running and not RunStatus.Queued }, Long, v => $"{v?.Status}");

        Assert.Equal(RunStatus.Completed, test!.Status);
        Assert.Equal(LrRangeSearch.MeasurementKind, test.Kind);
        Assert.True(test.Resumes >= 1, "the range test continued from a checkpoint");
        Assert.True(test.Epochs > chunksBefore);
        var definition = SweepDefinition.Parse(json);
        var search = (LrRangeSearch)definition.CreateStrategy();
        var (min, max) = search.TestRange(definition.Space);
        var uninterrupted = LrRangeTest.Run(definition.SpecFor(test.Config), min, max, search.Steps);
        Assert.Equal(uninterrupted.SuggestedLearningRate, test.Result);
        var detail = (await again.Grains.Run(id, 0).GetDetailAsync(0))!;
        Assert.Equal(uninterrupted.Points[^1].SmoothedLoss, detail.Metrics[^1].ValLoss);
        await again.Grains.Sweep(id).CancelAsync();
    }

    [Fact]
    public async Task An_lr_range_sweep_interrupted_by_a_cluster_restart_suggests_exactly_what_an_uninterrupted_one_does()
    {
        // Digits, one run at a time: slow enough that the sweep is caught part-way.
        var json = Sweep(concurrency: 1, epochs: 6, dataset: "digits");
        var databasePath = Path.Combine(Path.GetTempPath(), $"excl-test-{Guid.NewGuid():N}", "experiments.db");
        var interrupted = "lr-range-restart-" + Guid.NewGuid().ToString("N")[..6];
        var uninterrupted = "lr-range-plain-" + Guid.NewGuid().ToString("N")[..6];
        await using (var first = await ExperimentTestCluster.StartAsync(silos: 1, databasePath))
        {
            Assert.Null((await first.Grains.Sweep(interrupted).SubmitAsync(json)).Error);
            var caught = await first.WaitForSweepAsync(interrupted, v => v.Counts.Values.Sum() >= 6, Long);
            Assert.Equal(SweepStatus.Running, caught.Status);
            Assert.True(caught.Count(RunStatus.Completed) < 12);
        }

        await using var again = await ExperimentTestCluster.StartAsync(silos: 1, databasePath);
        await again.Grains.Sweep(interrupted).ResumeAsync();
        Assert.Null((await again.Grains.Sweep(uninterrupted).SubmitAsync(json)).Error);
        await again.WaitForSweepAsync(interrupted, v => v.Status != SweepStatus.Running, Long);
        await again.WaitForSweepAsync(uninterrupted, v => v.Status != SweepStatus.Running, Long);

        Assert.Equal(await Configs(again, uninterrupted), await Configs(again, interrupted));
        Assert.Equal(await Suggestions(again, uninterrupted), await Suggestions(again, interrupted));
    }

    private static async Task<List<string>> Configs(ExperimentTestCluster cluster, string id)
    {
        var results = (await cluster.Grains.Sweep(id).GetResultsAsync())!;
        Assert.Equal(12, results.Leaderboard.Count(r => r.Status == RunStatus.Completed));
        return results.Leaderboard.OrderBy(r => r.Number).Select(r => TrialConfig.From(r.Config).Key).ToList();
    }

    private static async Task<List<(string, double?)>> Suggestions(ExperimentTestCluster cluster, string id) =>
        (await cluster.Grains.Sweep(id).GetResultsAsync())!.Measurements!.Select(m => (TrialConfig.From(m.Config).Key, m.Result)).ToList();
}
