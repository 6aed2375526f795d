using System.Text.Json.Nodes;
using ExperimentCluster.Contracts;
using ExperimentCluster.Contracts.Json;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>Command sweeps on the in-process cluster, with real trial processes (Trials/Scripts/trial.py).</summary>
public sealed class CommandSweepClusterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Six rates tried one at a time, so that ASHA's decisions are fixed (rungs at epochs 1 and 3): the script's loss grows
    /// with the rate, and rate 0.9 reports NaN. Each run is better than all before it (it continues) or worse than
    /// three of them (it stops at the first rung). Epochs are slow enough that a stopped run is still running when told to stop.
    /// </summary>
    private static string AshaSweep(TrialMarkers markers) => $$"""
        {
          "name": "command-asha",
          "command": {
            "run": ["python3", {{TrialMarkers.Script("trial.py")}}],
            "env": {{markers.Env(("EPOCH_SECONDS", "0.5"), ("NAN_RATE", "0.9"))}},
            "epochs": 9
          },
          "search": { "strategy": "grid", "space": { "rate": { "values": [0.5, 0.3, 0.7, 0.1, 0.9, 0.6] } } },
          "early_stopping": { "rule": "asha", "settings": { "min_epochs": 1, "reduction_factor": 3, "max_epochs": 9 } },
          "concurrency": 1
        }
        """;

    [Fact]
    public async Task ASHA_stops_trial_processes_with_SIGTERM_a_NaN_run_diverges_and_the_results_read_as_for_built_in_runs()
    {
        using var markers = new TrialMarkers();
        await using var test = await StartAsync(markers);
        const string id = "command-asha";
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(AshaSweep(markers))).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);

        var runs = (await Task.WhenAll(Enumerable.Range(0, 6).Select(n => test.Grains.Run(id, n).GetDetailAsync(0)))).Select(d => d!).ToList();
        Assert.Equal(
            [RunStatus.Completed, RunStatus.Completed, RunStatus.Stopped, RunStatus.Completed, RunStatus.Diverged, RunStatus.Stopped],
            runs.Select(r => r.Run.Status));
        foreach (var completed in runs.Where(r => r.Run.Status == RunStatus.Completed))
            Assert.Equal(Enumerable.Range(1, 9), completed.Metrics.Select(m => m.Epoch));
        foreach (var stopped in runs.Where(r => r.Run.Status == RunStatus.Stopped))
        {
            var n = stopped.Run.Number;
            Assert.Matches("^asha at rung 0: ", stopped.Run.Reason);
            Assert.Equal([1], stopped.Metrics.Select(m => m.Epoch));
            Assert.True(markers.Has("sigterm", n), $"run {n} was stopped, but its process got no SIGTERM; its log:\n{await TrialMarkers.LogAsync(test, id, n)}");
        }

        var diverged = runs[4];
        Assert.Equal(1, diverged.Run.DivergedAtEpoch);
        Assert.Contains("val_loss was NaN at epoch 1", diverged.Run.Reason, StringComparison.Ordinal);
        Assert.True(double.IsNaN(diverged.Metrics.Single().ValLoss));

        var (started, alive) = markers.Processes();
        Assert.Equal(6, started);
        Assert.Empty(alive);

        // The leaderboard: finite losses best first (the lowest rate wins), the diverged run last.
        var results = (await test.Grains.Sweep(id).GetResultsAsync())!;
        Assert.Equal([3, 1, 0, 5, 2, 4], results.Leaderboard.Select(r => r.Number));
        foreach (var row in results.Leaderboard)
        {
            var detail = runs[row.Number];
            Assert.Equal(detail.Run.Status, row.Status);
            Assert.Equal(detail.Metrics.Count, row.Epochs);
            Assert.Equal(detail.Metrics[^1].ValLoss, row.FinalValLoss);
            if (row.Status != RunStatus.Diverged)
                Assert.Equal(detail.Metrics.Min(m => m.ValLoss), row.BestValLoss);
            // What the script reported, column for column: train_loss is its state, val_loss the rate plus it.
            var rate = double.Parse(row.Config["rate"], System.Globalization.CultureInfo.InvariantCulture);
            if (row.Status != RunStatus.Diverged)
                Assert.All(detail.Metrics, m => Assert.Equal(rate + m.TrainLoss, m.ValLoss));
        }

        // One summary per rate, in rate order, as for a built-in sweep's hyperparameter.
        var perRate = results.PerValue.Where(v => v.Parameter == "rate").ToList();
        Assert.Equal(["0.1", "0.3", "0.5", "0.6", "0.7", "0.9"], perRate.Select(v => v.Value));
        Assert.All(perRate, v => Assert.Equal(1, v.Runs));
        foreach (var value in perRate)
        {
            var row = results.Leaderboard.Single(r => r.Config["rate"] == value.Value);
            Assert.Equal(row.Status == RunStatus.Completed ? 1 : 0, value.Finished);
            Assert.Equal(row.Status == RunStatus.Completed ? row.FinalValLoss : null, value.MeanFinalValLoss);
            Assert.Equal(row.Status == RunStatus.Diverged ? 1 : 0, value.Diverged);
        }
    }

    [Fact]
    public async Task A_run_whose_program_exits_0_before_its_first_report_fails_with_the_protocols_reason()
    {
        using var markers = new TrialMarkers();
        await using var test = await StartAsync(markers);
        const string id = "command-exit0";
        var sweep = $$"""
            {
              "name": "exit0",
              "command": { "run": ["python3", {{TrialMarkers.Script("misbehave.py")}}, "exit0"], "epochs": 3 },
              "search": { "strategy": "grid", "space": { "rate": { "values": [0.1] } } }
            }
            """;
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        var run = await TrialMarkers.FinishedAsync(test, id, 0, Long);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Equal("the program exited with code 0 before its first report (see examples/trial-protocol.md)", run.Run.Reason);
        Assert.Empty(run.Metrics);
        // Its output is the run's log.
        Assert.Contains("done already, nothing to report", await TrialMarkers.LogAsync(test, id, 0), StringComparison.Ordinal);
        // No run trained, so the sweep has no answer: it fails with the run's reason instead of completing.
        var view = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Failed, view.Status);
        Assert.Equal("every run failed; run 0: the program exited with code 0 before its first report (see examples/trial-protocol.md)", view.Reason);
    }

    [Fact]
    public async Task Fast_trials_that_rewrite_their_checkpoint_folder_every_epoch_complete()
    {
        // Epochs take no time: the program writes its next checkpoint (to a temporary file, renamed into place, as the
        // protocol asks) while the silo is still packing the folder of a report it read earlier.
        using var markers = new TrialMarkers();
        await using var test = await StartAsync(markers);
        const string id = "command-fast";
        var sweep = $$"""
            {
              "name": "fast",
              "command": { "run": ["python3", {{TrialMarkers.Script("trial.py")}}], "env": {{markers.Env()}}, "epochs": 60 },
              "search": { "strategy": "grid", "space": { "rate": { "values": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] } } },
              "concurrency": 2
            }
            """;
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);

        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(n => test.Grains.Run(id, n).GetState()));
        Assert.True(runs.All(r => r is { Status: RunStatus.Completed, Epochs: 60 }),
            string.Join("\n", runs.Select(r => $"run {r!.Number}: {r.Status} after {r.Epochs} epochs: {r.Reason}")));
    }

    [Fact]
    public async Task The_answers_configuration_not_the_run_with_the_lowest_loss_at_any_epoch_is_the_summarys_best_and_keeps_the_checkpoint()
    {
        // Rate 0.1 has the lower loss at every epoch but the last, where it rises by 0.5 (below the divergence factor):
        // it leads the leaderboard (best loss at any epoch), and rate 0.3 ends lower, so the answer names 0.3, and its
        // final state is the checkpoint worth keeping (keep_checkpoints: best, the default).
        using var markers = new TrialMarkers();
        await using var test = await StartAsync(markers);
        const string id = "command-late-rise";
        var sweep = $$"""
            {
              "name": "late-rise",
              "command": { "run": ["python3", {{TrialMarkers.Script("trial.py")}}], "env": {{markers.Env(("LATE_RISE_RATE", "0.1"))}}, "epochs": 3 },
              "search": { "strategy": "grid", "space": { "rate": { "values": [0.1, 0.3] } } },
              "concurrency": 1
            }
            """;
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        Assert.Equal(SweepStatus.Completed, (await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long)).Status);

        var results = (await test.Grains.Sweep(id).GetResultsAsync())!;
        Assert.Equal([RunStatus.Completed, RunStatus.Completed], results.Leaderboard.Select(r => r.Status));
        Assert.Equal("0.1", results.Leaderboard[0].Config["rate"]);
        Assert.True(results.Leaderboard[0].FinalValLoss > results.Leaderboard[1].FinalValLoss, "rate 0.1 should end above rate 0.3");
        Assert.StartsWith("the best configuration is rate=0.3: ", results.Answer, StringComparison.Ordinal);

        var summary = JsonNode.Parse(ExclJson.Line(SweepSummaryLine.From(results)))!;
        Assert.Equal(0.3, (double)summary["best_hyperparameters"]!["rate"]!);
        Assert.Equal(["rate"], summary["best_hyperparameters"]!.AsObject().Select(kv => kv.Key));

        // Drops are sent to the runs as they finish, not awaited by the sweep.
        var held = await ExperimentTestCluster.WaitForAsync(
            async () => (await Task.WhenAll(Enumerable.Range(0, 2).Select(n => test.Grains.Run(id, n).GetState()))).Select(v => v!.CheckpointEpoch).ToArray(),
            e => e.SequenceEqual([0, 3]), TimeSpan.FromMinutes(1), e => string.Join(",", e));
        Assert.Equal([0, 3], held);

        // The kept checkpoint is what the program left in its folder after its last epoch: state.json at epoch 3, whose
        // w is the run's last reported train_loss.
        var kept = (await test.Grains.Run(id, 1).GetModelAsync())!;
        Assert.Equal((RunModelKind.Folder, 3), (kept.Kind, kept.Epoch));
        var folder = Path.Combine(markers.Folder, "taken");
        ExperimentCluster.CommandTrials.Archives.FolderArchive.Unpack(kept.Content, folder, 1 << 20);
        Assert.Equal(["state.json"], Directory.GetFiles(folder).Select(Path.GetFileName));
        var state = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "state.json")))!;
        Assert.Equal(3, (int)state["epoch"]!);
        Assert.Equal((await test.Grains.Run(id, 1).GetDetailAsync(0))!.Metrics[^1].TrainLoss, (double)state["w"]!);
        var dropped = (await test.Grains.Run(id, 0).GetModelAsync())!;
        Assert.Equal(RunModelKind.None, dropped.Kind);
        Assert.StartsWith("run 0 kept no checkpoint (a command trial's checkpoint is what its program writes to {checkpoint_dir}): ", dropped.Problem, StringComparison.Ordinal);
    }

    internal static Task<ExperimentTestCluster> StartAsync(TrialMarkers markers, double killGraceSeconds = 10) =>
        ExperimentTestCluster.StartAsync(silos: 1, configure: o =>
        {
            o.Commands.Allow = true;
            o.Commands.KillGraceSeconds = killGraceSeconds;
            o.Commands.RunsFolder = Path.Combine(markers.Folder, "runs");
        });
}
