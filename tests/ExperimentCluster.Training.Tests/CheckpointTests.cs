using ExperimentCluster.Training.Optimizers;
using ExperimentCluster.Training.Schedules;

namespace ExperimentCluster.Training.Tests;

public sealed class CheckpointTests
{
    private static readonly TrainingSpec Small = new()
    {
        Dataset = "iris",
        Layers = [9, 5],
        BatchSize = 16,
        Epochs = 6,
        LearningRate = 0.05,
        Seed = 3,
        MinLearningRate = 0.001,
        StepEpochs = 2,
    };

    public static TheoryData<string, string> OptimizersBySchedules()
    {
        var data = new TheoryData<string, string>();
        foreach (var optimizer in OptimizerCatalog.Names)
            foreach (var schedule in ScheduleCatalog.Names)
                data.Add(optimizer, schedule);
        return data;
    }

    [Theory]
    [MemberData(nameof(OptimizersBySchedules))]
    public void Resumed_run_matches_uninterrupted_run_for_every_optimizer_and_schedule(string optimizer, string schedule)
    {
        AssertResumeIsExact(Small with { Optimizer = optimizer, Schedule = schedule, WeightDecay = 0.01 }, resumeAfter: 2);
    }

    [Theory]
    [InlineData("float64", "tanh", "cross_entropy", 1)]
    [InlineData("float32", "elu", "huber", 3)]
    [InlineData("float32", "sigmoid", "mse", 5)]
    public void Resumed_run_matches_with_warmup_clipping_and_other_models(string precision, string activation, string loss, int resumeAfter)
    {
        var spec = Small with
        {
            Precision = precision, Activation = activation, Loss = loss, Optimizer = "nesterov", Schedule = "cosine",
            WarmupEpochs = 1.5, ClipNorm = 0.5,
        };
        AssertResumeIsExact(spec, resumeAfter);
    }

    [Fact]
    public void Resumed_regression_run_matches_too()
    {
        AssertResumeIsExact(new TrainingSpec { Dataset = "diabetes", Layers = [12], Optimizer = "adamw", Epochs = 4, BatchSize = 32, WeightDecay = 0.1 }, resumeAfter: 2);
    }

    [Fact]
    public void Run_restored_at_every_epoch_in_a_chain_matches_the_uninterrupted_run()
    {
        var spec = Small with { Optimizer = "adam", Schedule = "one_cycle" };
        var (_, expected) = TrainerTests.Train(spec);
        var trainer = Trainer.Create(spec, files: TestPaths.Files);
        var actual = new List<EpochMetrics>();
        while (trainer.Status == TrainingStatus.Running)
        {
            actual.Add(trainer.TrainEpoch());
            trainer = Trainer.Restore(spec, trainer.SaveCheckpoint(), files: TestPaths.Files);
        }
        Assert.Equal(Strip(expected), Strip(actual));
    }

    [Fact]
    public void Diverged_state_survives_a_checkpoint()
    {
        var spec = new TrainingSpec { Dataset = "digits", LearningRate = 10, Epochs = 5 };
        var (trainer, _) = TrainerTests.Train(spec);
        var restored = Trainer.Restore(spec, trainer.SaveCheckpoint(), files: TestPaths.Files);
        Assert.Equal(TrainingStatus.Diverged, restored.Status);
        Assert.Equal(trainer.Divergence, restored.Divergence);
        Assert.Equal(trainer.EpochsDone, restored.EpochsDone);
    }

    [Fact]
    public void Checkpoint_is_compact()
    {
        var spec = Small with { Optimizer = "adam" };
        var trainer = Trainer.Create(spec, files: TestPaths.Files);
        trainer.TrainEpoch();
        // iris 4-9-5-3: 113 parameters; Adam keeps two moments: 3 × 113 floats, plus a fixed header and checksum.
        Assert.InRange(trainer.SaveCheckpoint().Length, 3 * 113 * 4, (3 * 113 * 4) + 200);
    }

    [Fact]
    public void Checkpoint_of_another_spec_is_rejected()
    {
        var trainer = Trainer.Create(Small, files: TestPaths.Files);
        trainer.TrainEpoch();
        var error = Assert.Throws<InvalidDataException>(() => Trainer.Restore(Small with { LearningRate = 0.06 }, trainer.SaveCheckpoint(), files: TestPaths.Files));
        Assert.Contains("different training spec", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checkpoint_fingerprint_covers_only_the_settings_that_differ_from_the_defaults()
    {
        // So that a later version may add an option with a default without stranding stored checkpoints.
        Assert.Equal("{}", TrainingSpecJson.ToCanonicalString(new TrainingSpec()));
        Assert.Equal("""{"layers":[8,8],"learning_rate":0.5}""", TrainingSpecJson.ToCanonicalString(new TrainingSpec { LearningRate = 0.5, Layers = [8, 8] }));
    }

    [Fact]
    public void Checkpoint_of_another_format_version_is_rejected()
    {
        var bytes = Trainer.Create(Small, files: TestPaths.Files).SaveCheckpoint();
        bytes[8] = 99;
        var error = Assert.Throws<InvalidDataException>(() => Trainer.Restore(Small, bytes, files: TestPaths.Files));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Damaged_truncated_or_foreign_bytes_are_rejected()
    {
        var bytes = Trainer.Create(Small, files: TestPaths.Files).SaveCheckpoint();
        var damaged = bytes.ToArray();
        damaged[100] ^= 1;
        Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => Trainer.Restore(Small, damaged, files: TestPaths.Files)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => Trainer.Restore(Small, bytes[..40], files: TestPaths.Files));
        Assert.Contains("not a training checkpoint", Assert.Throws<InvalidDataException>(() => Trainer.Restore(Small, new byte[100], files: TestPaths.Files)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelled_epoch_makes_the_trainer_unusable_and_the_last_checkpoint_resumes_exactly()
    {
        var spec = Small with { Optimizer = "momentum" };
        var (_, expected) = TrainerTests.Train(spec);
        var trainer = Trainer.Create(spec, files: TestPaths.Files);
        var actual = new List<EpochMetrics> { trainer.TrainEpoch() };
        var checkpoint = trainer.SaveCheckpoint();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.TrainEpoch(cancelled.Token));
        Assert.Throws<InvalidOperationException>(() => trainer.TrainEpoch());
        Assert.Throws<InvalidOperationException>(() => trainer.SaveCheckpoint());
        var resumed = Trainer.Restore(spec, checkpoint, files: TestPaths.Files);
        while (resumed.Status == TrainingStatus.Running) actual.Add(resumed.TrainEpoch());
        Assert.Equal(Strip(expected), Strip(actual));
    }

    private static void AssertResumeIsExact(TrainingSpec spec, int resumeAfter)
    {
        var uninterrupted = Trainer.Create(spec, files: TestPaths.Files);
        var expected = new List<EpochMetrics>();
        while (uninterrupted.Status == TrainingStatus.Running) expected.Add(uninterrupted.TrainEpoch());

        var first = Trainer.Create(spec, files: TestPaths.Files);
        var actual = new List<EpochMetrics>();
        for (var e = 0; e < resumeAfter; e++) actual.Add(first.TrainEpoch());
        var checkpoint = first.SaveCheckpoint();
        // Training on after saving must not disturb the saved bytes' run.
        first.TrainEpoch();
        var second = Trainer.Restore(spec, checkpoint, files: TestPaths.Files);
        Assert.Equal(resumeAfter, second.EpochsDone);
        while (second.Status == TrainingStatus.Running) actual.Add(second.TrainEpoch());

        Assert.Equal(Strip(expected), Strip(actual));
        // Parameters, moments, generator and counters: the final states are the same bytes.
        Assert.Equal(uninterrupted.SaveCheckpoint(), second.SaveCheckpoint());
    }

    // Wall-clock seconds are the one figure that may differ.
    private static List<EpochMetrics> Strip(IEnumerable<EpochMetrics> history) => history.Select(m => m with { Seconds = 0 }).ToList();
}
