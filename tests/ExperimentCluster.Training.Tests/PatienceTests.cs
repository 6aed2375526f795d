namespace ExperimentCluster.Training.Tests;

/// <summary>
/// <see cref="TrainingSpec.Patience"/>: the run ends once that many epochs in a row bring no lower validation loss, and
/// its model is its best epoch's weights, which the same run trained only to that epoch also holds.
/// </summary>
public sealed class PatienceTests
{
    // Adam at a high rate on diabetes: the validation loss is lowest early and then rises and falls (it overfits).
    private static readonly TrainingSpec Overfitting = new()
    {
        Dataset = "diabetes", Layers = [32], Optimizer = "adam", LearningRate = 0.05, BatchSize = 16, Epochs = 30, Seed = 1,
    };

    [Fact]
    public void The_run_ends_after_patience_epochs_without_a_lower_validation_loss_and_its_model_is_the_best_epochs_weights()
    {
        var spec = Overfitting with { Patience = 4 };
        var (trainer, history) = TrainerTests.Train(spec);
        var best = BestEpoch(history);

        Assert.Equal(TrainingStatus.Completed, trainer.Status);
        Assert.Equal(best + 4, trainer.EpochsDone);
        Assert.True(trainer.EpochsDone < spec.Epochs, $"patience should have ended the run before epoch {spec.Epochs}");
        Assert.Equal(best, trainer.ModelEpoch);
        Assert.Equal(best, trainer.Model().Epoch);
        // The same run without patience, stopped at the best epoch, holds these very weights.
        var (plain, _) = TrainerTests.Train(Overfitting with { Epochs = best });
        AssertSameWeights(plain.Model(), trainer.Model());
        Assert.Contains($"no lower validation loss in the 4 epochs after epoch {best}", trainer.ModelNote, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_trains_every_epoch_still_ends_with_its_best_epochs_weights()
    {
        var spec = Overfitting with { Patience = 1000, Epochs = 12 };
        var (trainer, history) = TrainerTests.Train(spec);
        var best = BestEpoch(history);

        Assert.Equal(12, trainer.EpochsDone);
        Assert.True(best < 12, "the test needs a run whose last epoch is not its best");
        Assert.Equal(best, trainer.ModelEpoch);
        AssertSameWeights(TrainerTests.Train(Overfitting with { Epochs = best }).Trainer.Model(), trainer.Model());
        Assert.Contains("trained every epoch", trainer.ModelNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_patience_every_epoch_is_trained_and_the_last_is_the_model()
    {
        var (trainer, history) = TrainerTests.Train(Overfitting with { Epochs = 12 });
        Assert.True(BestEpoch(history) < 12);
        Assert.Equal(12, trainer.ModelEpoch);
        Assert.Null(trainer.ModelNote);
    }

    [Fact]
    public void A_run_restored_at_every_epoch_counts_its_patience_and_keeps_its_best_weights_as_the_uninterrupted_run()
    {
        var spec = Overfitting with { Patience = 4, Precision = "float64" };
        var (expected, history) = TrainerTests.Train(spec);
        var trainer = Trainer.Create(spec, files: TestPaths.Files);
        var actual = new List<EpochMetrics>();
        while (trainer.Status == TrainingStatus.Running)
        {
            actual.Add(trainer.TrainEpoch());
            trainer = Trainer.Restore(spec, trainer.SaveCheckpoint(), files: TestPaths.Files);
        }

        Assert.Equal(history.Select(m => (m.Epoch, m.ValLoss, m.TrainLoss)), actual.Select(m => (m.Epoch, m.ValLoss, m.TrainLoss)));
        Assert.Equal(expected.ModelEpoch, trainer.ModelEpoch);
        AssertSameWeights(expected.Model(), trainer.Model());
        // A finished run's checkpoint exports the best epoch's network, as `excl model` reads it.
        Assert.Equal(expected.ModelEpoch, Trainer.ExportModel(spec, trainer.SaveCheckpoint(), TestPaths.Files).Epoch);
    }

    private static int BestEpoch(List<EpochMetrics> history) => history.MinBy(m => m.ValLoss)!.Epoch;

    private static void AssertSameWeights(TrainedModel expected, TrainedModel actual)
    {
        Assert.Equal(expected.Layers.Count, actual.Layers.Count);
        for (var l = 0; l < expected.Layers.Count; l++)
        {
            Assert.Equal(expected.Layers[l].Biases, actual.Layers[l].Biases);
            Assert.Equal(expected.Layers[l].Weights.SelectMany(w => w), actual.Layers[l].Weights.SelectMany(w => w));
        }
    }
}
