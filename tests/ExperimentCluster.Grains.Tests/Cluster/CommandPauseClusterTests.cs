using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>Pausing a command sweep: its program gets SIGTERM after its checkpoint, and resume starts it again from there.</summary>
public sealed class CommandPauseClusterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Pause_stops_the_trial_process_with_SIGTERM_and_resume_continues_from_its_checkpoint()
    {
        using var markers = new TrialMarkers();
        await using var test = await CommandSweepClusterTests.StartAsync(markers);
        const string id = "command-pause";
        var sweep = $$"""
            {
              "name": "command-pause",
              "command": { "run": ["python3", {{TrialMarkers.Script("trial.py")}}], "env": {{markers.Env(("EPOCH_SECONDS", "0.5"))}}, "epochs": 9 },
              "search": { "strategy": "grid", "space": { "rate": { "values": [0.5] } } },
              "concurrency": 1
            }
            """;
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        await ExperimentTestCluster.WaitForAsync(() => test.Grains.Run(id, 0).GetState(), r => r is { Epochs: >= 2 }, Long);

        Assert.Null((await test.Grains.Sweep(id).PauseAsync()).Error);
        var paused = await ExperimentTestCluster.WaitForAsync(() => test.Grains.Run(id, 0).GetState(), r => r!.Status == RunStatus.Paused, Long);
        var pausedDetail = (await test.Grains.Run(id, 0).GetDetailAsync(0))!;
        // At least 1, not the 2 seen above: epochs that piled up went to the sweep as one batch, and a pause that
        // reached the sweep during that question stops the run at the batch's first epoch, dropping the rest (as a run
        // asked one epoch at a time would have stopped there); its process re-trains them after the resume.
        Assert.True(paused!.Epochs is >= 1 and <= 8,
            $"paused at {paused.Epochs} epochs ({string.Join(",", pausedDetail.Metrics.Select(m => m.Epoch))}), resumes {paused.Resumes}; its log:\n" + await TrialMarkers.LogAsync(test, id, 0));
        Assert.True(markers.Has("sigterm", 0), "the paused run's process got no SIGTERM; its log:\n" + await TrialMarkers.LogAsync(test, id, 0));
        await ExperimentTestCluster.WaitForAsync(() => Task.FromResult(markers.Processes()), p => p.Alive.Count == 0, Long);
        Assert.Single(markers.Pids(0));

        Assert.Equal(SweepStatus.Running, (await test.Grains.Sweep(id).ResumeAsync()).Status);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal((SweepStatus.Completed, 1), (done.Status, done.Count(RunStatus.Completed)));
        var detail = (await test.Grains.Run(id, 0).GetDetailAsync(0))!;
        // Every epoch once, in order: the second process started from the checkpoint of the epoch the first one reached.
        Assert.Equal(Enumerable.Range(1, 9), detail.Metrics.Select(m => m.Epoch));
        Assert.Equal(2, markers.Pids(0).Count);
        Assert.True(detail.Run.Resumes >= 1);
    }
}
