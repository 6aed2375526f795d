using System.Text.Json.Nodes;
using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Tests.Cluster;
using ExperimentCluster.Silo.Storage;

namespace ExperimentCluster.Grains.Tests.Checkpoints;

/// <summary>
/// Checkpoints taken at most every CheckpointInterval (here an hour: while training, never; always after the last epoch):
/// a run killed or paused between checkpoints trains the epochs since its last one again (here, from the start), to the
/// same numbers.
/// </summary>
public sealed class CheckpointIntervalClusterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private static string Sweep(string name, int epochs) => $$"""
        {
          "name": "{{name}}",
          "training": { "dataset": "digits", "layers": [128, 128], "optimizer": "momentum", "batch_size": 16, "epochs": {{epochs}} },
          "seeds": 2,
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.001, 0.003, 0.01] } } },
          "concurrency": 6,
          "keep_checkpoints": "all"
        }
        """;

    private static Task<ExperimentTestCluster> StartAsync(int silos) =>
        ExperimentTestCluster.StartAsync(silos, configure: o => o.CheckpointInterval = TimeSpan.FromHours(1));

    [Fact]
    public async Task A_run_killed_between_checkpoints_trains_its_lost_epochs_again_to_the_same_numbers_and_puts_one_checkpoint()
    {
        await using var test = await StartAsync(silos: 3);
        var id = "interval-kill-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep("interval-kill", epochs: 30))).Error);
        var secondaries = test.Cluster.Silos.Skip(1).Select(s => s.SiloAddress.ToString()).ToHashSet();
        var victims = await ExperimentTestCluster.WaitForAsync(async () =>
        {
            var views = await Task.WhenAll(Enumerable.Range(0, 6).Select(n => test.Grains.Run(id, n).GetState()));
            return views.Where(v => v is { Status: RunStatus.Running, Epochs: >= 3 } && v.Epochs < 25 && secondaries.Contains(v.Silo!)).ToList();
        }, v => v.Count > 0, Long);
        // Their views say what a resume would start from: no checkpoint yet, so epoch 0, whatever epoch they have reached.
        Assert.All(victims, v => Assert.Equal(0, v!.CheckpointEpoch));
        var victimSilo = victims[0]!.Silo!;
        var killed = victims.Where(v => v!.Silo == victimSilo).ToDictionary(v => v!.Number, v => v!.Epochs);

        await test.Cluster.KillSiloAsync(test.Cluster.Silos.Single(s => s.SiloAddress.ToString() == victimSilo));

        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal((SweepStatus.Completed, 6), (done.Status, done.Count(RunStatus.Completed)));
        for (var number = 0; number < 6; number++)
        {
            var detail = (await test.Grains.Run(id, number).GetDetailAsync(0))!;
            SweepClusterTests.AssertSameTrajectory(SweepClusterTests.Uninterrupted(detail.SpecJson), detail.Metrics);
            if (killed.TryGetValue(number, out var epochsBeforeKill))
            {
                // No checkpoint had been put in its 3 or more epochs: it started over, and no resume is counted.
                Assert.True(epochsBeforeKill >= 3);
                Assert.Equal(0, detail.Run.Resumes);
            }
            // Thirty epochs, one checkpoint: the one put when it finished (per epoch, this would be version 30).
            var state = JsonNode.Parse(SqliteStateInspector.ReadStateJson(test.DatabasePath, test.Grains.Run(id, number).GetGrainId(), "run")!)!;
            Assert.Equal(1, (int)state["CheckpointVersion"]!);
        }
    }

    [Fact]
    public async Task A_run_paused_before_its_first_checkpoint_trains_again_from_the_start_to_the_same_numbers_when_resumed()
    {
        await using var test = await StartAsync(silos: 2);
        var id = "interval-pause-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep("interval-pause", epochs: 40))).Error);
        await ExperimentTestCluster.WaitForAsync(() => test.Grains.Run(id, 0).GetState(), r => r is { Status: RunStatus.Running, Epochs: >= 2 }, Long);

        Assert.Null((await test.Grains.Sweep(id).PauseAsync()).Error);
        var paused = await ExperimentTestCluster.WaitForAsync(() => test.Grains.Run(id, 0).GetState(), r => r!.Status != RunStatus.Running, Long);
        Assert.Equal(RunStatus.Paused, paused!.Status);
        Assert.True(paused.Epochs >= 2);
        Assert.Equal(SweepStatus.Running, (await test.Grains.Sweep(id).ResumeAsync()).Status);

        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);
        var detail = (await test.Grains.Run(id, 0).GetDetailAsync(0))!;
        // No checkpoint to continue from: no resume counted, and the epochs trained before the pause were trained again.
        Assert.Equal(0, detail.Run.Resumes);
        SweepClusterTests.AssertSameTrajectory(SweepClusterTests.Uninterrupted(detail.SpecJson), detail.Metrics);
    }
}
