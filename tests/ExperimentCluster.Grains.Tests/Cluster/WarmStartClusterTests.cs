using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>A sweep warm-started from another on a real cluster: it reuses the compatible runs, trains only the rest,
/// keeps them across a restart, and refuses an unknown sweep at submission.</summary>
public sealed class WarmStartClusterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private static string Sweep(string rates, string warmStart = "") => $$"""
        { "name": "warm", "training": { "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 4 },
          "seeds": 2, "search": { "strategy": "grid", "space": { "learning_rate": { "values": [{{rates}}] } } }, "concurrency": 4 {{warmStart}} }
        """;

    [Fact]
    public async Task A_warm_started_grid_trains_only_the_rates_the_first_sweep_did_not_measure_and_keeps_them_after_a_restart()
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"excl-test-{Guid.NewGuid():N}", "experiments.db");
        await using (var test = await ExperimentTestCluster.StartAsync(silos: 1, databasePath))
        {
            Assert.Null((await test.Grains.Sweep("first").SubmitAsync(Sweep("0.01, 0.1, 100"))).Error);
            Assert.Equal(SweepStatus.Completed, (await test.WaitForSweepAsync("first", v => v.Status != SweepStatus.Running, Long)).Status);

            var unknown = await test.Grains.Sweep("second").SubmitAsync(Sweep("0.03, 0.1", ", \"warm_start\": { \"sweeps\": [\"first\", \"nope\"] }"));
            Assert.Equal("warm_start.sweeps[1]: no sweep 'nope'", unknown.Error);
            Assert.Null(await test.Grains.Sweep("second").GetState());

            var warm = Sweep("0.03, 0.1, 100", ", \"warm_start\": { \"sweeps\": [\"first\"] }");
            Assert.Null((await test.Grains.Sweep("second").SubmitAsync(warm)).Error);
            var done = await test.WaitForSweepAsync("second", v => v.Status != SweepStatus.Running, Long);
            Assert.Equal(SweepStatus.Completed, done.Status);
            // 0.1 and 100 (diverged) were measured with both seeds: 4 runs reused, only 0.03 trained (2 seeds).
            Assert.Equal(4, done.Reused);
            var results = (await test.Grains.Sweep("second").GetResultsAsync())!;
            Assert.Equal(["0.03", "0.03"], results.Leaderboard.Select(r => r.Config["learning_rate"]));
            Assert.Equal(4, results.Reused!.Count);
            Assert.All(results.Reused, r => Assert.Equal("first", r.SweepId));
            // The per-value lines and the answer count the reused runs: 100 diverged in 2 of 2 seeds.
            Assert.Equal(["0.03", "0.1", "100"], results.PerValue.Select(v => v.Value));
            Assert.Contains("100 diverged in 2 of 2 seeds", results.Answer, StringComparison.Ordinal);
        }

        await using var again = await ExperimentTestCluster.StartAsync(silos: 1, databasePath);
        var view = (await again.Grains.Sweep("second").GetState())!;
        Assert.Equal(4, view.Reused);
        Assert.Equal(2, view.Counts.Values.Sum());
        Assert.Equal(4, (await again.Grains.Sweep("second").GetResultsAsync())!.Reused!.Count);
    }

    [Fact]
    public async Task A_sweep_cannot_warm_start_from_itself()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var result = await test.Grains.Sweep("self").SubmitAsync(Sweep("0.1", ", \"warm_start\": { \"sweeps\": [\"self\"] }"));
        Assert.Equal("warm_start.sweeps[0]: a sweep cannot warm-start from itself", result.Error);
    }
}
