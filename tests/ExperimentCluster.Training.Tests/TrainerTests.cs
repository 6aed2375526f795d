using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Training.Tests;

public sealed class TrainerTests
{
    private static readonly TrainingSpec Digits = new()
    {
        Dataset = "digits",
        Layers = [32],
        Activation = "relu",
        Optimizer = "sgd",
        LearningRate = 0.1,
        BatchSize = 32,
        Epochs = 20,
        Seed = 0,
        // The published fixed split, the one the PyTorch comparison uses too.
        SplitFile = TestPaths.DigitsSplit,
    };

    [Fact]
    public void Digits_with_32_relu_units_and_sgd_reaches_95_percent_validation_accuracy()
    {
        var (trainer, history) = Train(Digits);
        Assert.Equal(TrainingStatus.Completed, trainer.Status);
        Assert.Equal(20, history.Count);
        Assert.True(history[^1].ValAccuracy >= 0.95, $"validation accuracy {history[^1].ValAccuracy}");
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss);
    }

    [Fact]
    public void Digits_with_learning_rate_10_ends_diverged_and_says_where()
    {
        var (trainer, history) = Train(Digits with { LearningRate = 10 });
        Assert.Equal(TrainingStatus.Diverged, trainer.Status);
        var divergence = Assert.IsType<Divergence>(trainer.Divergence);
        Assert.Equal(history[^1].Epoch, divergence.Epoch);
        Assert.Equal(history[^1].Steps, divergence.Step);
        Assert.True(history.Count < 20);
        Assert.True(!double.IsFinite(divergence.Loss) || divergence.Loss > 10 * 2.0, $"loss {divergence.Loss}");
        Assert.Throws<InvalidOperationException>(() => trainer.TrainEpoch());
    }

    [Fact]
    public void Metrics_count_epochs_and_cumulative_steps_and_report_the_scheduled_rate()
    {
        var spec = Digits with { Epochs = 3, Schedule = "step", StepEpochs = 1, Gamma = 0.5 };
        var (_, history) = Train(spec);
        // 1437 training rows in batches of 32: 45 steps per epoch, the last one of 29 rows.
        Assert.Equal([1, 2, 3], history.Select(m => m.Epoch));
        Assert.Equal([45L, 90, 135], history.Select(m => m.Steps));
        Assert.Equal([0.1, 0.05, 0.025], history.Select(m => m.LearningRate));
        Assert.All(history, m => Assert.True(m.Seconds > 0));
    }

    [Fact]
    public void Regression_reports_no_accuracy()
    {
        var (trainer, history) = Train(new TrainingSpec { Dataset = "diabetes", Layers = [16], LearningRate = 0.01, Epochs = 3, BatchSize = 16 });
        Assert.Equal(TrainingStatus.Completed, trainer.Status);
        Assert.All(history, m => Assert.Null(m.ValAccuracy));
        Assert.True(history[^1].ValLoss < 1.0, $"standardised validation MSE {history[^1].ValLoss}");
    }

    [Fact]
    public void Completed_run_refuses_another_epoch()
    {
        var (trainer, _) = Train(new TrainingSpec { Dataset = "iris", Epochs = 1, BatchSize = 8 });
        Assert.Equal(TrainingStatus.Completed, trainer.Status);
        Assert.Throws<InvalidOperationException>(() => trainer.TrainEpoch());
    }

    [Fact]
    public void Runs_that_differ_only_outside_the_data_options_share_one_copy_of_the_data()
    {
        var a = new TrainingSpec { Dataset = "wine", Seed = 1, LearningRate = 0.1, Optimizer = "adam", Layers = [8] };
        var b = new TrainingSpec { Dataset = "wine", Seed = 2, LearningRate = 0.3, Optimizer = "sgd", Layers = [64, 64] };
        Assert.Same(DatasetCache.Get<float>(a, files: TestPaths.Files), DatasetCache.Get<float>(b, files: TestPaths.Files));
        Assert.NotSame(DatasetCache.Get<float>(a, files: TestPaths.Files), DatasetCache.Get<float>(a with { DataSeed = 1 }, files: TestPaths.Files));
        Assert.NotSame(DatasetCache.Get<float>(a, files: TestPaths.Files), DatasetCache.Get<double>(a, files: TestPaths.Files));
    }

    [Fact]
    public void Split_is_seeded_disjoint_and_rounds_the_validation_part_up()
    {
        var first = DataSplit.ByFraction(1797, 0.2, 0);
        Assert.Equal(360, first.Val.Length);
        Assert.Equal(1437, first.Train.Length);
        Assert.Empty(first.Train.Intersect(first.Val));
        Assert.Equal(first, DataSplit.ByFraction(1797, 0.2, 0), new SplitComparer());
        Assert.NotEqual(first.Val, DataSplit.ByFraction(1797, 0.2, 1).Val);
    }

    [Fact]
    public void Standard_scaling_is_fitted_on_the_training_rows_only()
    {
        var data = DatasetCache.Get<double>(new TrainingSpec { Dataset = "breast_cancer", Precision = "float64" }, files: TestPaths.Files);
        for (var c = 0; c < data.Features; c++)
        {
            var train = Enumerable.Range(0, data.TrainRows).Select(r => data.TrainX[(r * data.Features) + c]).ToArray();
            var val = Enumerable.Range(0, data.ValRows).Select(r => data.ValX[(r * data.Features) + c]).ToArray();
            Assert.Equal(0, train.Average(), 9);
            Assert.Equal(1, Math.Sqrt(train.Average(v => v * v)), 9);
            // Validation rows went through the training rows' transform, so they are not centred exactly.
            Assert.NotEqual(0, val.Average(), 6);
        }
    }

    [Fact]
    public void Divide_scaling_puts_digits_pixels_in_the_unit_interval()
    {
        var data = DatasetCache.Get<float>(new TrainingSpec { Dataset = "digits", Scaling = "divide", ScaleDivisor = 16 }, files: TestPaths.Files);
        Assert.Equal(0f, data.TrainX.Min());
        Assert.Equal(1f, data.TrainX.Max());
    }

    [Theory]
    [InlineData("moons", 2)]
    [InlineData("spirals", 3)]
    [InlineData("blobs", 3)]
    [InlineData("linear", 0)]
    public void Synthetic_sets_are_fixed_by_data_seed_alone(string name, int classes)
    {
        var spec = new TrainingSpec { Dataset = name, SyntheticSamples = 200 };
        var raw = DatasetCache.GetRaw(spec, files: TestPaths.Files);
        Assert.Equal(200, raw.Rows);
        Assert.Equal(classes, raw.Classes);
        Assert.Same(raw, DatasetCache.GetRaw(spec with { Seed = 5 }, files: TestPaths.Files));
        var other = DatasetCache.GetRaw(spec with { DataSeed = 1 }, files: TestPaths.Files);
        Assert.NotEqual(raw.Features, other.Features);
        Assert.Equal(raw.Features, SyntheticDatasets.Generate(name, 200, spec.Noise ?? SyntheticDatasets.DefaultNoise(name), raw.Classes == 0 ? 3 : raw.Classes, raw.Columns, 0).Features);
    }

    [Fact]
    public void Moons_are_learned_by_a_small_network()
    {
        var (_, history) = Train(new TrainingSpec { Dataset = "moons", Layers = [16, 16], Activation = "tanh", Optimizer = "adam", LearningRate = 0.01, Epochs = 15 });
        Assert.True(history[^1].ValAccuracy > 0.95, $"validation accuracy {history[^1].ValAccuracy}");
    }

    [Fact]
    public void A_users_csv_trains_on_the_named_column_and_defaults_to_regression_for_it()
    {
        var dir = TestPaths.NewTempDirectory();
        var path = Path.Combine(dir, "line.csv");
        var random = new Random(1);
        var lines = new List<string> { "a,b,y,noise" };
        for (var i = 0; i < 200; i++)
        {
            double a = random.NextDouble(), b = random.NextDouble();
            lines.Add(FormattableString.Invariant($"{a},{b},{(3 * a) - b},{random.NextDouble()}"));
        }
        File.WriteAllLines(path, lines);
        var spec = new TrainingSpec { Dataset = path, Target = "y", Layers = [], Optimizer = "adam", LearningRate = 0.05, Epochs = 30, BatchSize = 16 };
        Assert.False(DatasetCache.GetRaw(spec, files: TestPaths.Files).Classification);
        Assert.Equal(["a", "b", "noise"], DatasetCache.GetRaw(spec, files: TestPaths.Files).FeatureNames);
        var (_, history) = Train(spec);
        Assert.True(history[^1].ValLoss < 0.01, $"validation loss {history[^1].ValLoss}");
    }

    [Fact]
    public void Concurrent_runs_on_shared_data_match_the_same_runs_one_at_a_time()
    {
        var specs = Enumerable.Range(0, 8).Select(seed => new TrainingSpec
        {
            Dataset = "wine", Layers = [16], Optimizer = seed % 2 == 0 ? "adam" : "nesterov", LearningRate = 0.01, Epochs = 5, BatchSize = 8, Seed = seed,
        }).ToArray();
        var sequential = specs.Select(spec => Train(spec).History.Select(m => m with { Seconds = 0 }).ToList()).ToArray();
        var concurrent = new List<EpochMetrics>[specs.Length];
        Parallel.For(0, specs.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            concurrent[i] = Train(specs[i]).History.Select(m => m with { Seconds = 0 }).ToList());
        for (var i = 0; i < specs.Length; i++) Assert.Equal(sequential[i], concurrent[i]);
    }

    [Fact]
    public void Epoch_loop_allocates_only_its_result()
    {
        var trainer = Trainer.Create(Digits with { Epochs = 5 }, files: TestPaths.Files);
        trainer.TrainEpoch();
        var before = GC.GetAllocatedBytesForCurrentThread();
        trainer.TrainEpoch();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // 45 training steps and 360 validation rows; a per-step allocation of even a few bytes would exceed this.
        Assert.True(allocated < 1024, $"{allocated} bytes allocated in one epoch");
    }

    internal static (Trainer Trainer, List<EpochMetrics> History) Train(TrainingSpec spec)
    {
        var trainer = Trainer.Create(spec, files: TestPaths.Files);
        var history = new List<EpochMetrics>();
        while (trainer.Status == TrainingStatus.Running) history.Add(trainer.TrainEpoch());
        return (trainer, history);
    }

    private sealed class SplitComparer : IEqualityComparer<DataSplit>
    {
        public bool Equals(DataSplit? x, DataSplit? y) => x!.Train.SequenceEqual(y!.Train) && x.Val.SequenceEqual(y.Val);

        public int GetHashCode(DataSplit obj) => obj.Train.Length;
    }
}
