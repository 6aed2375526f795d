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

        var result = LrRangeTest.Run(Digits, files: TestPaths.Files);
        var decades = Math.Abs(Math.Log10(result.SuggestedLearningRate / best));
        Assert.True(decades <= 1, $"suggested {result.SuggestedLearningRate:G3} ({result.Reason}); grid best {best} of {string.Join(", ", finalLoss)}");
    }

    [Fact]
    public void Range_test_raises_the_rate_exponentially_and_stops_when_the_loss_explodes()
    {
        var result = LrRangeTest.Run(Digits, 1e-5, 100, steps: 120, files: TestPaths.Files);
        Assert.InRange(result.Points.Count, 10, 119);
        Assert.Equal(1e-5, result.Points[0].LearningRate, 12);
        var ratios = result.Points.Zip(result.Points.Skip(1), (a, b) => b.LearningRate / a.LearningRate).ToArray();
        Assert.All(ratios, r => Assert.Equal(Math.Pow(1e7, 1.0 / 119), r, 9));
        Assert.Contains("stopped because", result.Reason, StringComparison.Ordinal);
        Assert.All(result.Points, p => Assert.True(double.IsFinite(p.SmoothedLoss)));
    }

    [Fact]
    public void The_rule_suggests_a_tenth_of_the_rate_at_the_lowest_smoothed_loss_after_the_first_tenth_of_the_curve()
    {
        // A lucky first batch (0.5) is lower than anything later; it sits in the first tenth and is not read.
        var losses = new double[] { 0.5, 2.3, 2.2, 2.0, 1.6, 1.2, 0.9, 0.8, 0.7, 0.75, 1.1, 3.0 };
        var points = losses.Select((loss, i) => new LrRangePoint(Math.Pow(10, i - 10), loss * 1.1, loss)).ToList();

        var (rate, reason) = LrRangeRule.Suggest(points);

        Assert.Equal(1e-3, rate, 12);
        Assert.Contains("lowest smoothed loss", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("still fell", reason, StringComparison.Ordinal);
        Assert.True(double.IsNaN(LrRangeRule.Suggest([]).Rate));
        Assert.True(double.IsNaN(LrRangeRule.Suggest([new LrRangePoint(0.1, double.NaN, double.NaN)]).Rate));
    }

    [Fact]
    public void A_curve_lowest_at_its_last_rate_says_the_valley_may_lie_beyond_it()
    {
        var losses = new double[] { 2.3, 2.3, 2.2, 2.0, 1.6, 1.2, 0.9, 0.8, 0.7, 0.6 };
        var points = losses.Select((loss, i) => new LrRangePoint(Math.Pow(10, i - 8), loss, loss)).ToList();

        var (rate, reason) = LrRangeRule.Suggest(points);

        Assert.Equal(1, rate, 12);
        Assert.EndsWith("the loss still fell at the last rate tested, so the valley may lie beyond it", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(38)]
    public void A_range_test_restored_from_any_chunks_checkpoint_continues_with_the_same_numbers_and_suggestion(int chunks)
    {
        // 400 steps make chunks of 4 mini-batches, which straddle the epoch boundaries of digits (45 batches an epoch).
        var settings = new LrRangeTestSettings(1e-5, 10, 400);
        var whole = LrRangeTestTrainer.Create(Digits, settings, files: TestPaths.Files);
        var reference = new List<EpochMetrics>();
        while (whole.Status == TrainingStatus.Running)
            reference.Add(whole.TrainChunk(CancellationToken.None));

        var first = LrRangeTestTrainer.Create(Digits, settings, files: TestPaths.Files);
        for (var i = 0; i < chunks && first.Status == TrainingStatus.Running; i++)
            first.TrainChunk(CancellationToken.None);
        var resumed = (IRunTrainer)RunTrainers.Create(LrRangeTestTrainer.Kind, Digits, settings.ToDictionary(), first.SaveCheckpoint(), files: TestPaths.Files);
        Assert.Equal(first.ChunksDone, resumed.ChunksDone);
        var rest = new List<EpochMetrics>();
        while (resumed.Status == TrainingStatus.Running)
            rest.Add(resumed.TrainChunk(CancellationToken.None));

        Assert.Equal(reference.Skip(first.ChunksDone).Select(m => (m.Epoch, m.TrainLoss, m.ValLoss, m.LearningRate, m.Steps)),
            rest.Select(m => (m.Epoch, m.TrainLoss, m.ValLoss, m.LearningRate, m.Steps)));
        Assert.Equal(whole.Result, resumed.Result);
        Assert.Equal(whole.ResultNote, resumed.ResultNote);
        Assert.NotNull(whole.Result);
    }

    [Fact]
    public void A_range_test_checkpoint_of_other_settings_or_a_damaged_one_is_refused()
    {
        var test = LrRangeTestTrainer.Create(Digits, new LrRangeTestSettings(1e-5, 10, 50), files: TestPaths.Files);
        test.TrainChunk(CancellationToken.None);
        var checkpoint = test.SaveCheckpoint();

        Assert.Throws<InvalidDataException>(() => LrRangeTestTrainer.Create(Digits, new LrRangeTestSettings(1e-5, 10, 60), checkpoint, files: TestPaths.Files));
        checkpoint[^40] ^= 1;
        Assert.Throws<InvalidDataException>(() => LrRangeTestTrainer.Create(Digits, new LrRangeTestSettings(1e-5, 10, 50), checkpoint, files: TestPaths.Files));
        Assert.Throws<ArgumentException>(() => RunTrainers.Create("no_such_kind", Digits, null, null, files: TestPaths.Files));
    }

    [Fact]
    public void Range_test_is_reproducible()
    {
        var first = LrRangeTest.Run(Digits, steps: 40, files: TestPaths.Files);
        var second = LrRangeTest.Run(Digits, steps: 40, files: TestPaths.Files);
        Assert.Equal(first.Points, second.Points);
        Assert.Equal(first.SuggestedLearningRate, second.SuggestedLearningRate);
    }

    [Fact]
    public void Range_test_rejects_a_bad_range()
    {
        Assert.Equal("maxLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => LrRangeTest.Run(Digits, 1, 0.1, files: TestPaths.Files)).ParamName);
        Assert.Equal("minLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => LrRangeTest.Run(Digits, -1, 0.1, files: TestPaths.Files)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => LrRangeTest.Run(Digits, steps: 2, files: TestPaths.Files)).ParamName);
        Assert.Equal("learning_rate", Assert.Throws<SpecException>(() => LrRangeTest.Run(Digits with { LearningRate = -1 }, files: TestPaths.Files)).Field);
    }
}
