using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Tests.Cluster;

public sealed class PauseRetryClusterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(4);

    private static string Sweep(int epochs, string rates, int seeds, int concurrency) => $$"""
        {
          "name": "pause-test",
          "training": { "dataset": "digits", "layers": [64, 64], "optimizer": "momentum", "batch_size": 16, "epochs": {{epochs}} },
          "seeds": {{seeds}},
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [{{rates}}] } } },
          "concurrency": {{concurrency}}
        }
        """;

    private static Task<RunView?[]> RunsAsync(ExperimentTestCluster test, string id, int count) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(n => test.Grains.Run(id, n).GetState()));

    /// <summary>An epoch without its wall-clock seconds, which differ between attempts.</summary>
    private static List<(int, double, double, double)> Losses(IEnumerable<EpochRecord> epochs) =>
        epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValLoss, e.LearningRate)).ToList();

    private static string Describe(RunView?[] runs) => string.Join("; ", runs.Select(r => $"{r?.Number}:{r?.Status}@{r?.Epochs} on {r?.Silo}"));

    [Fact]
    public async Task A_paused_sweep_trains_nothing_stays_paused_through_a_silo_kill_and_resumed_runs_match_uninterrupted_training_bit_for_bit()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 3);
        var id = "pause-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep(epochs: 25, "0.001, 0.003, 0.01, 0.03", seeds: 2, concurrency: 8))).Error);
        await ExperimentTestCluster.WaitForAsync(() => RunsAsync(test, id, 8),
            v => v.Count(r => r is { Status: RunStatus.Running, Epochs: >= 2 } && r.Epochs < 20) >= 2, Long, Describe);

        var paused = await test.Grains.Sweep(id).PauseAsync();
        Assert.Null(paused.Error);
        Assert.Equal(SweepStatus.Paused, paused.Sweep!.Status);
        var stopped = await ExperimentTestCluster.WaitForAsync(() => RunsAsync(test, id, 8),
            v => v.All(r => r is { Status: RunStatus.Paused } || r!.Status.IsFinished()), Long, Describe);
        Assert.Contains(stopped, r => r!.Status == RunStatus.Paused && r.Epochs > 0);
        Assert.Contains("paused already", (await test.Grains.Sweep(id).PauseAsync()).Note, StringComparison.Ordinal);

        // A silo that held paused runs dies; nothing may wake them (the sweep's reminder and timer included).
        var victim = test.Cluster.Silos.Skip(1).First(s => stopped.Any(r => r!.Silo == s.SiloAddress.ToString()));
        await test.Cluster.KillSiloAsync(victim);
        var wakes = 0;
        // Several wake intervals (500 ms) pass, and the sweep is read from a surviving silo every time.
        await ExperimentTestCluster.WaitForAsync(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            return (++wakes, await test.Grains.Sweep(id).GetState());
        }, w => w.Item1 >= 8 && w.Item2 is not null, Long);
        var still = await RunsAsync(test, id, 8);
        Assert.Equal(stopped.Select(r => (r!.Status, r.Epochs)), still.Select(r => (r!.Status, r.Epochs)));
        Assert.Equal(SweepStatus.Paused, (await test.Grains.Sweep(id).GetState())!.Status);
        Assert.Equal(0, (await test.Grains.Sweep(id).GetState())!.Count(RunStatus.Running));

        var resumed = await test.Grains.Sweep(id).ResumeAsync();
        Assert.Equal(SweepStatus.Running, resumed.Status);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);
        Assert.Equal(8, done.Count(RunStatus.Completed));
        for (var n = 0; n < 8; n++)
        {
            var detail = (await test.Grains.Run(id, n).GetDetailAsync(0))!;
            Assert.Equal(RunStatus.Completed, detail.Run.Status);
            if (stopped[n]!.Status == RunStatus.Paused && stopped[n]!.Epochs > 0)
                Assert.True(detail.Run.Resumes >= 1, $"run {n} should have continued from its checkpoint");
            SweepClusterTests.AssertSameTrajectory(SweepClusterTests.Uninterrupted(detail.SpecJson), detail.Metrics);
        }
    }

    [Fact]
    public async Task A_pause_survives_a_restart_of_the_whole_cluster_and_resume_then_finishes_the_sweep()
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"excl-test-{Guid.NewGuid():N}", "experiments.db");
        var id = "pause-restart-" + Guid.NewGuid().ToString("N")[..6];
        // Runs long enough (80 epochs of a wide network) that the pause finds them training on a quiet machine too.
        var sweep = Sweep(epochs: 80, "0.01, 0.03", seeds: 1, concurrency: 2).Replace("[64, 64]", "[128, 128]", StringComparison.Ordinal);
        int[] epochs;
        await using (var test = await ExperimentTestCluster.StartAsync(silos: 1, databasePath))
        {
            Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
            await ExperimentTestCluster.WaitForAsync(() => RunsAsync(test, id, 2), v => v.Any(r => r is { Epochs: >= 1 }), Long, Describe);
            Assert.Null((await test.Grains.Sweep(id).PauseAsync()).Error);
            var stopped = await ExperimentTestCluster.WaitForAsync(() => RunsAsync(test, id, 2),
                v => v.All(r => r is { Status: RunStatus.Paused } || r!.Status.IsFinished()), Long, Describe);
            epochs = stopped.Select(r => r!.Epochs).ToArray();
        }

        await using var again = await ExperimentTestCluster.StartAsync(silos: 1, databasePath);
        Assert.Equal(SweepStatus.Paused, (await again.Grains.Sweep(id).GetState())!.Status);
        Assert.Equal(epochs, (await RunsAsync(again, id, 2)).Select(r => r!.Epochs));
        Assert.Equal(SweepStatus.Running, (await again.Grains.Sweep(id).ResumeAsync()).Status);
        var done = await again.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal((SweepStatus.Completed, 2), (done.Status, done.Count(RunStatus.Completed)));
        Assert.Contains("only a running sweep can be paused", (await again.Grains.Sweep(id).PauseAsync()).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retrying_diverged_runs_trains_them_again_as_a_new_attempt_with_the_same_config_and_keeps_the_old_one()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "retry-" + Guid.NewGuid().ToString("N")[..6];
        var sweep = Sweep(epochs: 4, "0.01, 10", seeds: 1, concurrency: 2).Replace("[64, 64]", "[16]", StringComparison.Ordinal);
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        var first = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal((SweepStatus.Completed, 1, 1), (first.Status, first.Count(RunStatus.Completed), first.Count(RunStatus.Diverged)));
        var before = (await test.Grains.Run(id, 1).GetDetailAsync(0))!;
        Assert.Equal(RunStatus.Diverged, before.Run.Status);

        // Bad choices are errors that name the entry, and change nothing.
        var unknown = await test.Grains.Sweep(id).RetryAsync(new RetryRequest(Runs: [0, 7]));
        Assert.StartsWith("runs[1]: ", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("no run 7", unknown.Error, StringComparison.Ordinal);
        Assert.StartsWith("failed: ", (await test.Grains.Sweep(id).RetryAsync(new RetryRequest(Failed: true))).Error, StringComparison.Ordinal);
        Assert.StartsWith("runs: ", (await test.Grains.Sweep(id).RetryAsync(new RetryRequest())).Error, StringComparison.Ordinal);
        var unchanged = (await test.Grains.Sweep(id).GetState())!;
        Assert.Equal((SweepStatus.Completed, 1, 1), (unchanged.Status, unchanged.Count(RunStatus.Completed), unchanged.Count(RunStatus.Diverged)));
        Assert.Equal(1, (await test.Grains.Run(id, 1).GetState())!.Attempt);

        var retried = await test.Grains.Sweep(id).RetryAsync(new RetryRequest(Diverged: true));
        Assert.Null(retried.Error);
        Assert.Equal([1], retried.Retried);
        // Reopened until the retried run ends.
        Assert.Equal(SweepStatus.Running, retried.Sweep!.Status);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);

        var after = (await test.Grains.Run(id, 1).GetDetailAsync(0))!;
        Assert.Equal(2, after.Run.Attempt);
        Assert.Equal(before.Run.Config, after.Run.Config);
        Assert.Equal(before.SpecJson, after.SpecJson);
        // The same configuration and seed diverge the same way: the new attempt repeats the old one exactly.
        Assert.Equal(RunStatus.Diverged, after.Run.Status);
        Assert.Equal(Losses(before.Metrics), Losses(after.Metrics));
        var old = Assert.Single(after.EarlierAttempts!);
        Assert.Equal((1, RunStatus.Diverged), (old.Attempt, old.Status));
        Assert.Equal(Losses(before.Metrics), Losses(old.Metrics));
        // The sweep's summary is the latest attempt's.
        var results = (await test.Grains.Sweep(id).GetResultsAsync())!;
        var row = results.Leaderboard.Single(r => r.Number == 1);
        Assert.Equal((2, RunStatus.Diverged), (row.Attempt, row.Status));
        Assert.Equal(results.Sweep.EpochsReported, results.Leaderboard.Sum(r => (long)r.Epochs));

        // A running run cannot be retried.
        var busy = "busy-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await test.Grains.Sweep(busy).SubmitAsync(Sweep(epochs: 2000, "0.01", seeds: 1, concurrency: 1))).Error);
        await ExperimentTestCluster.WaitForAsync(() => test.Grains.Run(busy, 0).GetState(), r => r is { Epochs: >= 1 }, Long);
        // The sweep learns that its run runs from the run's report, a moment after the run grain itself: until then it
        // refuses the retry as "queued" (a CI run once got there first).
        await test.WaitForSweepAsync(busy, v => v.Count(RunStatus.Running) == 1, Long);
        Assert.StartsWith("runs[0]: run 0 is running", (await test.Grains.Sweep(busy).RetryAsync(new RetryRequest(Runs: [0]))).Error, StringComparison.Ordinal);
        await test.Grains.Sweep(busy).CancelAsync();
    }
}
