using System.Text.Json.Nodes;
using ExperimentCluster.Contracts;
using ExperimentCluster.Training;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>The sweeps the cluster tests submit, and how they check trajectories.</summary>
public static class ClusterSweeps
{
    public static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Twelve CPU-bound runs (4 learning rates x 3 seeds, or more seeds) on digits, small enough for a shared 2-core machine.</summary>
    public static string Twelve(int epochs, int concurrency, int seeds = 3) => $$"""
        {
          "name": "cluster-test",
          "training": { "dataset": "digits", "layers": [128, 128], "optimizer": "momentum", "batch_size": 16, "epochs": {{epochs}} },
          "seeds": {{seeds}},
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.001, 0.003, 0.01, 0.03] } } },
          "concurrency": {{concurrency}}
        }
        """;

    /// <summary>
    /// The runs of a sweep that is training, as the kill tests pick them: running, with at least one epoch that the sweep
    /// has heard of and at least <paramref name="toGo"/> epochs left; their views say which silo trains each. A run reports
    /// an epoch only after its state (which points at the epoch's checkpoint) is written, so these runs continue from a
    /// checkpoint after a kill. The run's view alone does not say so: it counts an epoch as soon as it is trained, while
    /// the write that stores it may still be in flight (a CI run killed a run there, and it began again).
    /// </summary>
    public static async Task<List<RunView>> StoredRunsAsync(LocalCluster cluster, string id, int runs, int epochs, int toGo)
    {
        var views = await cluster.RunsAsync(id, runs);
        var reported = (await cluster.Grains.Sweep(id).GetEventsAsync(0, 10_000).WaitAsync(TimeSpan.FromSeconds(5)))!.Events
            .Where(e => e.Epoch is not null).Select(e => e.Run).ToHashSet();
        return views.Where(v => v is { Status: RunStatus.Running } && v.Epochs <= epochs - toGo && reported.Contains(v.Number)).Select(v => v!).ToList();
    }

    /// <summary>Each run checked: finished as completed with every epoch once, in order (nothing lost, nothing repeated).</summary>
    public static async Task<List<RunDetail>> AssertAllCompleteAsync(LocalCluster cluster, string id, int runs, int epochs)
    {
        var details = new List<RunDetail>();
        for (var n = 0; n < runs; n++)
        {
            var detail = await cluster.Grains.Run(id, n).GetDetailAsync(0);
            Assert.True(detail is not null, $"run {n} was never started\n{cluster.Logs()}");
            Assert.True(detail.Run.Status == RunStatus.Completed, $"run {n}: {detail.Run.Status} {detail.Run.Reason}\n{cluster.Logs()}");
            Assert.Equal(Enumerable.Range(1, epochs), detail.Metrics.Select(m => m.Epoch));
            details.Add(detail);
        }
        return details;
    }

    /// <summary>The trajectory of the same run trained here, start to end, with no interruption.</summary>
    public static List<EpochMetrics> Uninterrupted(string specJson)
    {
        var trainer = Trainer.Create(TrainingSpecJson.Parse(JsonNode.Parse(specJson)!.AsObject()));
        var metrics = new List<EpochMetrics>();
        while (trainer.Status == TrainingStatus.Running && trainer.EpochsDone < trainer.Spec.Epochs)
            metrics.Add(trainer.TrainEpoch());
        return metrics;
    }

    public static void AssertSameTrajectory(IReadOnlyList<EpochMetrics> expected, IReadOnlyList<EpochRecord> actual)
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
