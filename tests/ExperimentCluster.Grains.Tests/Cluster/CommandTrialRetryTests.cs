using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>A trial process killed with kill -9 (the silo and the run grain live on): retried from the run's last
/// checkpoint while `max_failures` allows, else the run fails with the exit code and the end of standard error.</summary>
public sealed class CommandTrialRetryTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    /// <summary>One run of the trial script; on its first start it hangs after reporting epoch <paramref name="hangAfter"/>
    /// (0: never), so that the test can kill it there.</summary>
    private static string Sweep(TrialMarkers markers, int hangAfter, int maxFailures) => $$"""
        {
          "name": "command-retry",
          "command": {
            "run": ["python3", {{TrialMarkers.Script("trial.py")}}],
            "env": {{markers.Env(("HANG_AFTER", hangAfter.ToString(System.Globalization.CultureInfo.InvariantCulture)))}},
            "epochs": 6,
            "max_failures": {{maxFailures}}
          },
          "search": { "strategy": "grid", "space": { "rate": { "values": [0.2] } } },
          "seeds": 1
        }
        """;

    [Fact]
    public async Task With_max_failures_1_a_killed_trial_resumes_from_its_last_checkpoint_into_the_trajectory_of_an_uninterrupted_run()
    {
        using var straightMarkers = new TrialMarkers();
        using var markers = new TrialMarkers();
        await using var test = await CommandSweepClusterTests.StartAsync(markers);
        Assert.Null((await test.Grains.Sweep("straight").SubmitAsync(Sweep(straightMarkers, hangAfter: 0, maxFailures: 1))).Error);
        var straight = await TrialMarkers.FinishedAsync(test, "straight", 0, Long);
        Assert.True(straight.Run.Status == RunStatus.Completed, $"{straight.Run.Status}: {straight.Run.Reason}");

        Assert.Null((await test.Grains.Sweep("killed").SubmitAsync(Sweep(markers, hangAfter: 3, maxFailures: 1))).Error);
        var pid = await HangingPidAsync(markers);
        TrialMarkers.KillHard(pid);
        var killed = await TrialMarkers.FinishedAsync(test, "killed", 0, Long);

        Assert.True(killed.Run.Status == RunStatus.Completed, $"{killed.Run.Status}: {killed.Run.Reason}");
        Assert.Equal(straight.Metrics.Select(m => m.Epoch), killed.Metrics.Select(m => m.Epoch));
        Assert.Equal(straight.Metrics.Select(m => BitConverter.DoubleToInt64Bits(m.ValLoss)), killed.Metrics.Select(m => BitConverter.DoubleToInt64Bits(m.ValLoss)));
        Assert.Equal(straight.Metrics.Select(m => BitConverter.DoubleToInt64Bits(m.TrainLoss)), killed.Metrics.Select(m => BitConverter.DoubleToInt64Bits(m.TrainLoss)));
        // The second start was a resume (the script checks that the folder holds the epoch it was told), not a fresh start.
        var log = await TrialMarkers.LogAsync(test, "killed", 0);
        Assert.Contains("[excl] retry 1 of 1 from the checkpoint of epoch 3", log, StringComparison.Ordinal);
        Assert.Contains("resumed from epoch 3", log, StringComparison.Ordinal);
        var (started, alive) = markers.Processes();
        Assert.Equal(2, started);
        Assert.Empty(alive);
        Assert.Equal(SweepStatus.Completed, (await test.WaitForSweepAsync("killed", v => v.Status != SweepStatus.Running, Long)).Status);
    }

    [Fact]
    public async Task With_max_failures_0_a_killed_trial_fails_the_run_with_its_exit_code_and_the_end_of_standard_error()
    {
        using var markers = new TrialMarkers();
        await using var test = await CommandSweepClusterTests.StartAsync(markers);
        Assert.Null((await test.Grains.Sweep("killed").SubmitAsync(Sweep(markers, hangAfter: 2, maxFailures: 0))).Error);
        TrialMarkers.KillHard(await HangingPidAsync(markers));
        var run = await TrialMarkers.FinishedAsync(test, "killed", 0, Long);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        // .NET reports a death by signal N as exit code 128 + N: SIGKILL is 137.
        Assert.StartsWith("exit code 137 at epoch 2;", run.Run.Reason, StringComparison.Ordinal);
        Assert.EndsWith("standard error ends:\nepoch 1 done\nepoch 2 done", run.Run.Reason, StringComparison.Ordinal);
        // What it trained stays: two epochs, and nothing retried it.
        Assert.Equal([1, 2], run.Metrics.Select(m => m.Epoch));
        Assert.Single(markers.Pids(0));
        Assert.Empty(markers.Processes().Alive);
    }

    /// <summary>The process id of run 0 once it hangs (its only start so far).</summary>
    private static async Task<int> HangingPidAsync(TrialMarkers markers)
    {
        await ExperimentTestCluster.WaitForAsync(() => Task.FromResult(markers.Has("hanging", 0)), h => h, Long);
        return Assert.Single(markers.Pids(0));
    }
}
