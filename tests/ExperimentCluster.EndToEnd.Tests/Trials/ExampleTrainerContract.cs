namespace ExperimentCluster.EndToEnd.Tests.Trials;

/// <summary>
/// What a shipped example must do as a trial, run as a user's sweep runs it (its sweep.yaml's command, the protocol's
/// environment, a real process): report every epoch with a checkpoint, learn, resume into the very same trajectory,
/// survive a far too high learning rate, and stop promptly on SIGTERM.
/// </summary>
public abstract class ExampleTrainerContract(TrialProgram program)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private static readonly string[] Metrics = ["train_loss", "val_loss", "val_accuracy"];

    [Fact]
    public async Task At_lr_0_1_it_reports_every_epoch_with_a_checkpoint_and_the_validation_loss_falls()
    {
        var setup = TrialSetup.Fresh(0.1, maxEpochs: 20);
        var reports = await program.RunAsync(setup);

        Assert.Equal(Enumerable.Range(1, 20), reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.True(r.Checkpoint, $"no checkpoint: {r.Line}"));
        Assert.All(reports, r => Assert.All(Metrics, m => Assert.True(double.IsFinite(r.Metric(m)), r.Line)));
        Assert.True(reports[^1].Metric("val_loss") < reports[0].Metric("val_loss") / 2, $"val_loss {reports[0].Metric("val_loss")} -> {reports[^1].Metric("val_loss")}");
        Assert.True(reports[^1].Metric("val_accuracy") >= 0.9, reports[^1].Line);
        Assert.Contains("excl-state-20.json", Directory.GetFiles(setup.CheckpointDir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Without_EXCL_MAX_EPOCHS_it_trains_20_epochs()
    {
        var reports = await program.RunAsync(TrialSetup.Fresh(0.1));
        Assert.Equal(Enumerable.Range(1, 20), reports.Select(r => r.Epoch));
    }

    [Fact]
    public async Task The_same_seed_prints_the_same_numbers_and_another_seed_other_numbers()
    {
        var first = await program.RunAsync(TrialSetup.Fresh(0.1, maxEpochs: 3, seed: 7));
        var again = await program.RunAsync(TrialSetup.Fresh(0.1, maxEpochs: 3, seed: 7));
        var other = await program.RunAsync(TrialSetup.Fresh(0.1, maxEpochs: 3, seed: 8));

        Assert.Equal(first.Select(r => r.Line), again.Select(r => r.Line));
        Assert.NotEqual(first.Select(r => r.Line), other.Select(r => r.Line));
    }

    [Fact]
    public async Task Stopped_after_epoch_5_and_restarted_from_its_checkpoint_it_prints_the_uninterrupted_runs_lines()
    {
        var uninterrupted = await program.RunAsync(TrialSetup.Fresh(0.1, maxEpochs: 12, seed: 2));
        var first = TrialSetup.Fresh(0.1, maxEpochs: 5, seed: 2);
        var before = await program.RunAsync(first);
        var after = await program.RunAsync(first with { MaxEpochs = 12, CheckpointEpoch = 5 });

        Assert.Equal(Enumerable.Range(1, 5), before.Select(r => r.Epoch));
        Assert.Equal(Enumerable.Range(6, 7), after.Select(r => r.Epoch));
        Assert.Equal(uninterrupted.Select(r => r.Line), before.Concat(after).Select(r => r.Line));
    }

    [Fact]
    public async Task Killed_mid_run_it_resumes_from_its_last_reported_epoch_into_the_uninterrupted_trajectory()
    {
        var killed = TrialSetup.Fresh(0.1, maxEpochs: 100_000, seed: 3);
        int lastReported;
        using (var trial = program.Start(killed))
        {
            await trial.Program.WaitForOutputAsync(lines => lines.Count >= 3, Long);
            trial.Program.KillHard(); // as a dying silo takes its trials with it: no clean-up of any kind
            lastReported = trial.Reports[^1].Epoch;
        }
        // The folder may already hold the next epoch's state, written but never reported: the resume must not take it.
        var resumed = await program.RunAsync(killed with { MaxEpochs = lastReported + 3, CheckpointEpoch = lastReported });
        var uninterrupted = await program.RunAsync(TrialSetup.Fresh(0.1, maxEpochs: lastReported + 3, seed: 3));

        Assert.Equal(Enumerable.Range(lastReported + 1, 3), resumed.Select(r => r.Epoch));
        Assert.Equal(uninterrupted.Skip(lastReported).Select(r => r.Line), resumed.Select(r => r.Line));
    }

    [Fact]
    public async Task At_lr_100_it_reports_a_non_finite_or_exploding_val_loss_and_still_exits_0()
    {
        var reports = await program.RunAsync(TrialSetup.Fresh(100, maxEpochs: 20));

        Assert.Equal(Enumerable.Range(1, 20), reports.Select(r => r.Epoch));
        // The first loss of an untrained 3-class model is about ln 3 = 1.1; a thousand is an explosion.
        Assert.Contains(reports, r => !double.IsFinite(r.Metric("val_loss")) || r.Metric("val_loss") > 1000);
    }

    [Fact]
    public async Task On_SIGTERM_it_exits_promptly_with_143_and_says_why_and_its_checkpoint_folder_resumes()
    {
        var setup = TrialSetup.Fresh(0.1, maxEpochs: 100_000, seed: 4);
        int lastReported;
        using (var trial = program.Start(setup))
        {
            await trial.Program.WaitForOutputAsync(lines => lines.Count >= 2, Long);
            trial.Terminate();
            // Waits on the exit (with a timeout that only guards the test): the program has no 100 000 epochs' time.
            Assert.Equal(143, await trial.Program.WaitForExitAsync(Long));
            Assert.Contains("SIGTERM received", trial.Program.Errors, StringComparison.Ordinal);
            lastReported = trial.Reports[^1].Epoch;
        }
        var resumed = await program.RunAsync(setup with { MaxEpochs = lastReported + 1, CheckpointEpoch = lastReported });
        Assert.Equal([lastReported + 1], resumed.Select(r => r.Epoch));
    }
}

/// <summary>examples/python/train.py through excl_trial.py.</summary>
public sealed class PythonExampleTests() : ExampleTrainerContract(TrialProgram.Python);

/// <summary>examples/dotnet (ExampleTrainer) through ExperimentCluster.Trial.</summary>
public sealed class DotnetExampleTests() : ExampleTrainerContract(TrialProgram.Dotnet);
