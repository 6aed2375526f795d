using System.Text.Json.Nodes;
using ExperimentCluster.Contracts;
using ExperimentCluster.Training;

namespace ExperimentCluster.Grains.Tests.Cluster;

public sealed class SweepClusterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    /// <summary>Twelve CPU-bound runs (4 learning rates x 3 seeds) whose epochs take long enough to be caught mid-run.</summary>
    private static string TwelveRuns(int epochs) => $$"""
        {
          "name": "kill-test",
          "training": { "dataset": "digits", "layers": [128, 128], "optimizer": "momentum", "batch_size": 16, "epochs": {{epochs}} },
          "seeds": 3,
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.001, 0.003, 0.01, 0.03] } } },
          "concurrency": 12
        }
        """;

    [Fact]
    public async Task Sweep_survives_the_loss_of_a_silo_and_resumed_runs_match_uninterrupted_training_bit_for_bit()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 3);
        var id = "kill-" + Guid.NewGuid().ToString("N")[..6];
        var submitted = await test.Grains.Sweep(id).SubmitAsync(TwelveRuns(epochs: 30));
        Assert.Null(submitted.Error);

        // Wait until a secondary silo is training runs that have stored at least one epoch and its checkpoint.
        var secondaries = test.Cluster.Silos.Skip(1).Select(s => s.SiloAddress.ToString()).ToHashSet();
        var victims = await ExperimentTestCluster.WaitForAsync(async () =>
        {
            var views = await Task.WhenAll(Enumerable.Range(0, 12).Select(n => test.Grains.Run(id, n).GetState()));
            var reported = await test.RunsWithStoredEpochsAsync(id);
            return (All: views, Victims: views.Where(v => v is { Status: RunStatus.Running } && v.Epochs < 25 && secondaries.Contains(v.Silo!) && reported.Contains(v.Number)).ToList());
        }, v => v.Victims.Count > 0, Long, v => string.Join("; ", v.All.Select(r => $"{r?.Number}:{r?.Status}@{r?.Epochs} on {r?.Silo}")));
        var victimSilo = victims.Victims[0]!.Silo!;
        var killedRuns = victims.Victims.Where(v => v!.Silo == victimSilo).Select(v => v!.Number).ToList();

        await test.Cluster.KillSiloAsync(test.Cluster.Silos.Single(s => s.SiloAddress.ToString() == victimSilo));

        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);
        Assert.Equal(12, done.Count(RunStatus.Completed));

        foreach (var number in killedRuns)
        {
            var detail = (await test.Grains.Run(id, number).GetDetailAsync(0))!;
            Assert.Equal(RunStatus.Completed, detail.Run.Status);
            Assert.True(detail.Run.Resumes >= 1, $"run {number} should have continued from its checkpoint");
            Assert.NotEqual(victimSilo, detail.Run.Silo);
            AssertSameTrajectory(Uninterrupted(detail.SpecJson), detail.Metrics);
        }
    }

    [Fact]
    public async Task Cancel_stops_running_runs_at_their_next_epoch_keeps_their_trajectories_and_survives_a_restart()
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"excl-test-{Guid.NewGuid():N}", "experiments.db");
        var id = "cancel-" + Guid.NewGuid().ToString("N")[..6];
        var sweep = TwelveRuns(epochs: 2000).Replace("\"concurrency\": 12", "\"concurrency\": 2", StringComparison.Ordinal);
        int[] partial;
        await using (var test = await ExperimentTestCluster.StartAsync(silos: 1, databasePath))
        {
            Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
            await ExperimentTestCluster.WaitForAsync(
                async () => await Task.WhenAll(Enumerable.Range(0, 2).Select(n => test.Grains.Run(id, n).GetState())),
                v => v.All(r => r is { Epochs: >= 2 }), Long);

            var cancelled = await test.Grains.Sweep(id).CancelAsync();
            Assert.Equal(SweepStatus.Cancelled, cancelled.Status);
            var runs = await ExperimentTestCluster.WaitForAsync(
                async () => await Task.WhenAll(Enumerable.Range(0, 2).Select(n => test.Grains.Run(id, n).GetState())),
                v => v.All(r => r!.Status.IsFinished()), Long);
            Assert.All(runs, r => Assert.Equal(RunStatus.Cancelled, r!.Status));
            Assert.All(runs, r => Assert.InRange(r!.Epochs, 2, 1999));
            partial = runs.Select(r => r!.Epochs).ToArray();
            // The third seed of the first configuration was waiting for room under the limit of 2: it never starts.
            var afterCancel = (await test.Grains.Sweep(id).GetState())!;
            Assert.Equal(3, afterCancel.Counts.Values.Sum());
            Assert.Equal(3, afterCancel.Count(RunStatus.Cancelled));
            Assert.Null(await test.Grains.Run(id, 2).GetState());
        }

        // A new cluster on the same file: the sweep is still cancelled and nothing trains again.
        await using var again = await ExperimentTestCluster.StartAsync(silos: 1, databasePath);
        var view = (await again.Grains.Sweep(id).GetState())!;
        Assert.Equal(SweepStatus.Cancelled, view.Status);
        Assert.Equal(3, view.Count(RunStatus.Cancelled));
        await again.Grains.Sweep(id).ResumeAsync();
        for (var n = 0; n < 2; n++)
        {
            var detail = (await again.Grains.Run(id, n).GetDetailAsync(0))!;
            Assert.Equal(RunStatus.Cancelled, detail.Run.Status);
            Assert.Equal(partial[n], detail.Metrics.Count);
        }
        Assert.Null(await again.Grains.Run(id, 2).GetState());
    }

    [Fact]
    public async Task A_bad_sweep_is_rejected_with_the_field_and_nothing_is_stored()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var bad = TwelveRuns(epochs: 2).Replace("0.003", "-0.003", StringComparison.Ordinal);
        var result = await test.Grains.Sweep("bad").SubmitAsync(bad);
        Assert.NotNull(result.Error);
        Assert.StartsWith("search.space.learning_rate.values[1]:", result.Error, StringComparison.Ordinal);
        Assert.Null(await test.Grains.Sweep("bad").GetState());
        Assert.DoesNotContain("bad", await test.Grains.SweepIndex().ListAsync());
    }

    [Fact]
    public async Task A_silo_trains_at_most_its_slots_at_once_and_the_other_runs_wait_as_queued()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1, slots: 1);
        var id = "slots-" + Guid.NewGuid().ToString("N")[..6];
        var sweep = TwelveRuns(epochs: 2000).Replace("\"concurrency\": 12", "\"concurrency\": 3", StringComparison.Ordinal);
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);

        var views = await ExperimentTestCluster.WaitForAsync(
            async () => await Task.WhenAll(Enumerable.Range(0, 3).Select(n => test.Grains.Run(id, n).GetState())),
            v => v.Count(r => r is { Status: RunStatus.Running, Epochs: >= 2 }) == 1 && v.Count(r => r is { Status: RunStatus.Queued }) == 2, Long,
            v => string.Join("; ", v.Select(r => $"{r?.Number}:{r?.Status}@{r?.Epochs}")));
        // Two more epochs of the running one later, the queued ones still have trained nothing.
        var running = views.Single(r => r!.Status == RunStatus.Running)!;
        var later = await ExperimentTestCluster.WaitForAsync(
            async () => await Task.WhenAll(Enumerable.Range(0, 3).Select(n => test.Grains.Run(id, n).GetState())),
            v => v[running.Number]!.Epochs >= running.Epochs + 2, Long);
        Assert.All(later.Where(r => r!.Number != running.Number), r => Assert.Equal((RunStatus.Queued, 0), (r!.Status, r.Epochs)));
        await test.Grains.Sweep(id).CancelAsync();
    }

    [Fact]
    public async Task A_run_whose_spec_cannot_train_ends_failed_with_the_reason()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var run = test.Grains.Run("failing", 0);
        var view = await run.StartAsync(new RunStart("failing", 0, """{"dataset": "iris", "learning_rate": -1}""", new Dictionary<string, string>()));
        Assert.Equal(RunStatus.Failed, view.Status);
        Assert.Contains("learning_rate", view.Reason, StringComparison.Ordinal);
        Assert.Contains("positive", view.Reason, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, (await run.GetState())!.Status);
    }

    [Fact]
    public async Task The_sweeps_stored_state_grows_with_its_runs_not_with_their_epochs()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        async Task<int> StoredBytesAsync(string id, int epochs)
        {
            var sweep = TwelveRuns(epochs).Replace("[128, 128]", "[8]", StringComparison.Ordinal).Replace("\"digits\"", "\"iris\"", StringComparison.Ordinal);
            Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
            var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
            Assert.Equal(SweepStatus.Completed, done.Status);
            // Deactivating writes anything still pending, so the file holds the sweep's final state.
            await test.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            return Silo.Storage.SqliteStateInspector.ReadStateJson(test.DatabasePath, test.Grains.Sweep(id).GetGrainId(), "sweep")!.Length;
        }

        var short2 = await StoredBytesAsync("epochs-2", 2);
        var long40 = await StoredBytesAsync("epochs-40", 40);
        // Twelve runs either way: the run summaries' numbers differ in length, the trajectories are not there.
        Assert.InRange(long40, short2 * 0.8, short2 * 1.25);
    }

    internal static List<EpochMetrics> Uninterrupted(string specJson)
    {
        var trainer = Trainer.Create(TrainingSpecJson.Parse(JsonNode.Parse(specJson)!.AsObject()));
        var metrics = new List<EpochMetrics>();
        while (trainer.Status == TrainingStatus.Running && trainer.EpochsDone < trainer.Spec.Epochs)
            metrics.Add(trainer.TrainEpoch());
        return metrics;
    }

    internal static void AssertSameTrajectory(IReadOnlyList<EpochMetrics> expected, IReadOnlyList<EpochRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Epoch, actual[i].Epoch);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i].TrainLoss), BitConverter.DoubleToInt64Bits(actual[i].TrainLoss));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i].ValLoss), BitConverter.DoubleToInt64Bits(actual[i].ValLoss));
            Assert.Equal(expected[i].ValAccuracy, actual[i].ValAccuracy);
            Assert.Equal(expected[i].LearningRate, actual[i].LearningRate);
        }
    }
}
