using System.Text.Json.Nodes;
using ExperimentCluster.Contracts;
using ExperimentCluster.Training;

namespace ExperimentCluster.Grains.Tests.Cluster;

public sealed class EarlyStoppingClusterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private const int Trials = 18;

    /// <summary>
    /// Random search with ASHA (rungs 1, 3, 9), one run at a time so that the order of reports, and so every decision,
    /// is fixed. Epochs of a 64-256-256-10 network take tens of milliseconds: the sweep lasts seconds.
    /// </summary>
    private static readonly string AshaSweep = $$"""
        {
          "name": "asha-test",
          "training": { "dataset": "digits", "layers": [256, 256], "optimizer": "sgd", "batch_size": 32, "epochs": 9 },
          "search": { "strategy": "random", "trials": {{Trials}}, "seed": 3, "space": { "learning_rate": { "log_uniform": [0.0001, 1] } } },
          "early_stopping": { "rule": "asha", "settings": { "min_epochs": 1, "reduction_factor": 3, "max_epochs": 9 } },
          "concurrency": 1
        }
        """;

    /// <summary>The sweep trained once without interruption, shared by the tests of this class (they run one at a time).</summary>
    private static readonly Lazy<Task<List<RunDetail>>> Uninterrupted = new(async () =>
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        Assert.Null((await test.Grains.Sweep("straight").SubmitAsync(AshaSweep)).Error);
        return await WaitForAllAsync(test, "straight");
    });

    [Fact]
    public async Task Runs_stopped_by_ASHA_keep_their_trajectory_up_to_the_rung_and_name_the_rule_and_rung()
    {
        var runs = await Uninterrupted.Value;

        var stopped = runs.Where(r => r.Run.Status == RunStatus.Stopped).ToList();
        Assert.NotEmpty(stopped);
        Assert.Contains(runs, r => r.Run.Status == RunStatus.Completed);
        foreach (var detail in stopped)
        {
            Assert.Matches("^asha at rung [0-9]+: ", detail.Run.Reason);
            Assert.True(detail.Run.Epochs is 1 or 3, $"run {detail.Run.Number} stopped after {detail.Run.Epochs} epochs, not at rung 1 or 3");
            // Epochs trained past the decision (the trainer runs ahead of the sweep's answers) are not kept.
            Assert.Equal(detail.Run.Epochs, detail.Metrics.Count);
            AssertPrefixOfUninterrupted(detail);
        }
    }

    [Fact]
    public async Task A_sweep_restarted_mid_way_makes_exactly_the_stopping_decisions_of_one_never_interrupted()
    {
        var reference = await Uninterrupted.Value;
        var databasePath = Path.Combine(Path.GetTempPath(), $"excl-test-{Guid.NewGuid():N}", "experiments.db");
        const string id = "restarted";
        await using (var first = await ExperimentTestCluster.StartAsync(silos: 1, databasePath))
            await SubmitAndWaitMidwayAsync(first, id);

        // The whole cluster stopped with runs finished, one running and the rest not started; a new one resumes it.
        await using var second = await ExperimentTestCluster.StartAsync(silos: 1, databasePath);
        await second.Grains.Sweep(id).ResumeAsync();
        var resumed = await WaitForAllAsync(second, id);

        Assert.Equal(reference.Select(Outcome), resumed.Select(Outcome));
        Assert.Contains(resumed, r => r.Run.Status == RunStatus.Stopped);
    }

    [Fact]
    public async Task Killing_a_silo_mid_way_the_sweeps_own_where_it_can_be_changes_no_stopping_decision()
    {
        var reference = await Uninterrupted.Value;
        await using var test = await ExperimentTestCluster.StartAsync(silos: 3);
        const string id = "killed";
        await SubmitAndWaitMidwayAsync(test, id);

        // The test cluster's first silo holds its membership, so the victim is another: the sweep's own silo where it
        // can be, else the one training the current run (the rule's next input).
        var management = test.Cluster.Client.GetGrain<IManagementGrain>(0);
        var secondaries = test.Cluster.Silos.Skip(1).ToList();
        var sweepHost = await management.GetActivationAddress(test.Grains.Sweep(id));
        var running = (await Task.WhenAll(Enumerable.Range(0, Trials).Select(n => test.Grains.Run(id, n).GetState())))
            .FirstOrDefault(r => r is { Status: RunStatus.Running });
        var victim = secondaries.FirstOrDefault(s => s.SiloAddress.Equals(sweepHost))
            ?? secondaries.FirstOrDefault(s => s.SiloAddress.ToString() == running?.Silo)
            ?? secondaries[0];
        await test.Cluster.KillSiloAsync(victim);

        var resumed = await WaitForAllAsync(test, id);
        Assert.Equal(reference.Select(Outcome), resumed.Select(Outcome));
        Assert.Contains(resumed, r => r.Run.Status == RunStatus.Stopped);
    }

    /// <summary>Submits the sweep and returns once 4 of its 18 runs have finished, with the sweep still running.</summary>
    private static async Task SubmitAndWaitMidwayAsync(ExperimentTestCluster test, string id)
    {
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(AshaSweep)).Error);
        var midway = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running || v.FinishedRuns >= 4, Long);
        Assert.Equal(SweepStatus.Running, midway.Status);
    }

    private static async Task<List<RunDetail>> WaitForAllAsync(ExperimentTestCluster test, string id)
    {
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);
        var details = await Task.WhenAll(Enumerable.Range(0, Trials).Select(n => test.Grains.Run(id, n).GetDetailAsync(0)));
        return details.Select(d => d!).ToList();
    }

    /// <summary>What the rule decided for a run, and everything it trained.</summary>
    private static string Outcome(RunDetail detail) =>
        $"{detail.Run.Number} {detail.Run.Status} after {detail.Run.Epochs} ({detail.Run.Reason}): "
        + string.Join(",", detail.Metrics.Select(m => BitConverter.DoubleToInt64Bits(m.ValLoss)));

    private static void AssertPrefixOfUninterrupted(RunDetail detail)
    {
        var trainer = Trainer.Create(TrainingSpecJson.Parse(JsonNode.Parse(detail.SpecJson)!.AsObject()));
        foreach (var kept in detail.Metrics)
        {
            var expected = trainer.TrainEpoch();
            Assert.Equal(expected.Epoch, kept.Epoch);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.ValLoss), BitConverter.DoubleToInt64Bits(kept.ValLoss));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.TrainLoss), BitConverter.DoubleToInt64Bits(kept.TrainLoss));
        }
    }
}
