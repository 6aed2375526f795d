namespace ExperimentCluster.Training.Tests;

public sealed class LrRangeTestTests
{
    private static readonly TrainingSpec Digits = new()
    {
        Dataset = "digits", Layers = [32], Optimizer = "sgd", BatchSize = 32, Epochs = 10, SplitFile = TestPaths.DigitsSplit,
    };

    [Fact]
    public void Range_test_on_digits_suggests_within_a_decade_of_the_best_grid_rate()
    {
        // Measure the grid: the rate whose run ends with the lowest validation loss.
        var grid = new[] { 0.001, 0.01, 0.1, 1 };
        var finalLoss = grid.ToDictionary(rate => rate, rate =>
        {
            var (trainer, history) = TrainerTests.Train(Digits with { LearningRate = rate });
            return trainer.Status == TrainingStatus.Completed ? history[^1].ValLoss : double.PositiveInfinity;
        });
        var best = finalLoss.MinBy(p => p.Value).Key;

        var result = LrRangeTest.Run(Digits);
        var decades = Math.Abs(Math.Log10(result.SuggestedLearningRate / best));
        Assert.True(decades <= 1, $"suggested {result.SuggestedLearningRate:G3} ({result.Reason}); grid best {best} of {string.Join(", ", finalLoss)}");
    }

    [Fact]
    public void Range_test_raises_the_rate_exponentially_and_stops_when_the_loss_explodes()
    {
        var result = LrRangeTest.Run(Digits, 1e-5, 100, steps: 120);
        Assert.InRange(result.Points.Count, 10, 119);
        Assert.Equal(1e-5, result.Points[0].LearningRate, 12);
        var ratios = result.Points.Zip(result.Points.Skip(1), (a, b) => b.LearningRate / a.LearningRate).ToArray();
        Assert.All(ratios, r => Assert.Equal(Math.Pow(1e7, 1.0 / 119), r, 9));
        Assert.Contains("stopped because", result.Reason, StringComparison.Ordinal);
        Assert.All(result.Points, p => Assert.True(double.IsFinite(p.SmoothedLoss)));
    }

    [Fact]
    public void Range_test_is_reproducible()
    {
        var first = LrRangeTest.Run(Digits, steps: 40);
        var second = LrRangeTest.Run(Digits, steps: 40);
        Assert.Equal(first.Points, second.Points);
        Assert.Equal(first.SuggestedLearningRate, second.SuggestedLearningRate);
    }

    [Fact]
    public void Range_test_rejects_a_bad_range()
    {
        Assert.Equal("maxLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => LrRangeTest.Run(Digits, 1, 0.1)).ParamName);
        Assert.Equal("minLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => LrRangeTest.Run(Digits, -1, 0.1)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => LrRangeTest.Run(Digits, steps: 2)).ParamName);
        Assert.Equal("learning_rate", Assert.Throws<SpecException>(() => LrRangeTest.Run(Digits with { LearningRate = -1 })).Field);
    }
}
