using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>Trial programs that break the protocol or ignore SIGTERM: each run ends with a clear status, and the silo
/// and later sweeps carry on.</summary>
public sealed class MisbehavingTrialTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Garbage_and_huge_lines_are_log_and_a_trial_that_reports_nothing_fails_on_its_report_timeout()
    {
        using var markers = new TrialMarkers();
        await using var test = await CommandSweepClusterTests.StartAsync(markers);
        const string id = "misbehaving";
        var sweep = $$"""
            {
              "name": "misbehaving",
              "command": { "run": ["python3", {{TrialMarkers.Script("misbehave.py")}}, "{how}"], "epochs": 3, "report_timeout": 3 },
              "search": { "strategy": "grid", "space": { "how": { "values": ["garbage", "long_line", "silent"] } } },
              "concurrency": 3
            }
            """;
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);
        var runs = (await Task.WhenAll(Enumerable.Range(0, 3).Select(n => test.Grains.Run(id, n).GetDetailAsync(0)))).Select(d => d!).ToList();

        // Binary bytes and lines that start with `{` but are no report are log lines; the reports between them count.
        var garbage = runs[0];
        Assert.True(garbage.Run.Status == RunStatus.Completed, $"{garbage.Run.Status}: {garbage.Run.Reason}");
        Assert.Equal([1.0, 0.5, 1.0 / 3], garbage.Metrics.Select(m => m.ValLoss));
        var garbageLog = await TrialMarkers.LogAsync(test, id, 0);
        Assert.Contains("{not json at all}", garbageLog, StringComparison.Ordinal);
        Assert.Contains("{\"epoch\": 2, \"val_loss\": }", garbageLog, StringComparison.Ordinal);
        Assert.Contains("[excl] not a report: \"epoch\" must be a whole number from 1, got 0", garbageLog, StringComparison.Ordinal);
        Assert.Contains("\uFFFD", garbageLog, StringComparison.Ordinal);

        // A 5 MB line without a newline is cut (the log notes where) and the reports after it count.
        var longLine = runs[1];
        Assert.True(longLine.Run.Status == RunStatus.Completed, $"{longLine.Run.Status}: {longLine.Run.Reason}");
        Assert.Equal([1, 2, 3], longLine.Metrics.Select(m => m.Epoch));
        var longLog = await TrialMarkers.LogAsync(test, id, 1);
        Assert.Contains("[excl: line cut at", longLog, StringComparison.Ordinal);
        // The log keeps its bound (Experiments:Commands:LogChars, 256 K characters by default).
        Assert.InRange(longLog.Length, 1, 256 * 1024);

        var silent = runs[2];
        Assert.Equal(RunStatus.Failed, silent.Run.Status);
        Assert.Equal("no report for 3 s (command.report_timeout) after epoch 0", silent.Run.Reason);
        Assert.Empty(silent.Metrics);

        await AnotherSweepCompletesAsync(test);
    }

    [Fact]
    public async Task A_trial_that_ignores_SIGTERM_is_killed_after_the_grace_period_when_the_rule_stops_it()
    {
        using var markers = new TrialMarkers();
        await using var test = await CommandSweepClusterTests.StartAsync(markers, killGraceSeconds: 1);
        const string id = "deaf-rule";
        // Rate 0.9 is worse than 0.1 at the first rung: ASHA stops it.
        var sweep = $$"""
            {
              "name": "deaf-rule",
              "command": {
                "run": ["python3", {{TrialMarkers.Script("trial.py")}}],
                "env": {{markers.Env(("DEAF", "1"), ("EPOCH_SECONDS", "0.5"))}},
                "epochs": 9
              },
              "search": { "strategy": "grid", "space": { "rate": { "values": [0.1, 0.9] } } },
              "early_stopping": { "rule": "asha", "settings": { "min_epochs": 1, "reduction_factor": 3, "max_epochs": 9 } },
              "concurrency": 1
            }
            """;
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);

        var stopped = (await test.Grains.Run(id, 1).GetDetailAsync(0))!;
        Assert.Equal(RunStatus.Stopped, stopped.Run.Status);
        Assert.Matches("^asha at rung 0: ", stopped.Run.Reason);
        Assert.True(markers.Has("sigterm", 1), "the stopped run's process got no SIGTERM");
        Assert.Contains("[excl] no exit 1 s after SIGTERM: SIGKILL", await TrialMarkers.LogAsync(test, id, 1), StringComparison.Ordinal);
        Assert.Empty(markers.Processes().Alive);

        await AnotherSweepCompletesAsync(test);
    }

    [Fact]
    public async Task A_cancel_stops_a_trial_that_hangs_mid_epoch_and_ignores_SIGTERM_without_waiting_for_its_next_report()
    {
        using var markers = new TrialMarkers();
        await using var test = await CommandSweepClusterTests.StartAsync(markers, killGraceSeconds: 1);
        const string id = "deaf-cancel";
        // Reports two epochs, then neither reports again nor exits on SIGTERM; only its report timeout (10 minutes) would end it.
        var sweep = $$"""
            {
              "name": "deaf-cancel",
              "command": { "run": ["python3", {{TrialMarkers.Script("trial.py")}}], "env": {{markers.Env(("DEAF", "1"), ("HANG_AFTER", "2"))}}, "epochs": 9 },
              "search": { "strategy": "grid", "space": { "rate": { "values": [0.1] } } }
            }
            """;
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        await ExperimentTestCluster.WaitForAsync(() => test.Grains.Run(id, 0).GetState(), r => r is { Epochs: 2 } && markers.Has("hanging", 0), Long);
        // The sweep must have counted both epochs too: when the two arrive in one report, a cancel that lands first is the
        // answer to epoch 1, and epoch 2 never counts (as for a run asked one epoch at a time; seen once in a full run).
        await ExperimentTestCluster.WaitForAsync(async () => (await test.Grains.Sweep(id).GetResultsAsync())!.Leaderboard.Single(),
            r => r.Epochs == 2, Long);

        Assert.Equal(SweepStatus.Cancelled, (await test.Grains.Sweep(id).CancelAsync()).Status);
        var run = await TrialMarkers.FinishedAsync(test, id, 0, TimeSpan.FromMinutes(1));

        Assert.Equal(RunStatus.Cancelled, run.Run.Status);
        Assert.Equal([1, 2], run.Metrics.Select(m => m.Epoch));
        Assert.True(markers.Has("sigterm", 0), "the cancelled run's process got no SIGTERM");
        Assert.Contains("[excl] no exit 1 s after SIGTERM: SIGKILL", await TrialMarkers.LogAsync(test, id, 0), StringComparison.Ordinal);
        Assert.Empty(markers.Processes().Alive);

        await AnotherSweepCompletesAsync(test);
    }

    /// <summary>The silo still runs command sweeps: a short, well-behaved one completes.</summary>
    private static async Task AnotherSweepCompletesAsync(ExperimentTestCluster test)
    {
        using var markers = new TrialMarkers();
        var id = "after-" + Guid.NewGuid().ToString("N")[..6];
        var sweep = $$"""
            {
              "name": "after",
              "command": { "run": ["python3", {{TrialMarkers.Script("trial.py")}}], "env": {{markers.Env()}}, "epochs": 3 },
              "search": { "strategy": "grid", "space": { "rate": { "values": [0.1, 0.2] } } },
              "concurrency": 2
            }
            """;
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);
        Assert.Equal(2, done.Count(RunStatus.Completed));
    }
}
