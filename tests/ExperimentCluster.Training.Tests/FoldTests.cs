using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Training.Tests;

/// <summary>`folds` and `fold`: K folds of one seeded shuffle, each validating once, and a run trained on one of them.</summary>
public sealed class FoldTests
{
    [Theory]
    [InlineData(150, 4, 3)]
    [InlineData(178, 5, 0)]
    [InlineData(11, 10, 7)]
    public void The_folds_of_one_seed_validate_every_row_exactly_once_in_parts_a_row_apart_at_most(int rows, int folds, int seed)
    {
        var splits = Enumerable.Range(0, folds).Select(f => DataSplit.ByFold(rows, folds, f, seed)).ToList();

        Assert.Equal(Enumerable.Range(0, rows), splits.SelectMany(s => s.Val).Order());
        foreach (var split in splits)
            Assert.Equal(Enumerable.Range(0, rows), split.Train.Concat(split.Val).Order());
        var sizes = splits.Select(s => s.Val.Length).ToList();
        Assert.InRange(sizes.Max() - sizes.Min(), 0, 1);
        // Another seed shuffles differently; the same seed the same.
        Assert.Equal(splits[1].Val, DataSplit.ByFold(rows, folds, 1, seed).Val);
        Assert.NotEqual(splits[1].Val, DataSplit.ByFold(rows, folds, 1, seed + 1).Val);
    }

    [Fact]
    public void A_spec_with_folds_validates_on_its_fold_and_the_runs_of_the_folds_differ()
    {
        TrainingSpec Spec(int fold) => new() { Dataset = "iris", Layers = [8], Epochs = 3, BatchSize = 16, Folds = 5, Fold = fold, Seed = 1, Precision = "float64" };
        var raw = DatasetCache.GetRaw(Spec(0), TestPaths.Files);

        Assert.Equal(DataSplit.ByFold(150, 5, 2, 0).Val, DataSplit.For(Spec(2), raw.Rows, TestPaths.Files).Val);
        var losses = Enumerable.Range(0, 5).Select(f => TrainerTests.Train(Spec(f)).History[^1].ValLoss).ToList();
        Assert.Equal(5, losses.Distinct().Count());
        // Without folds the spec splits by its fraction, as before.
        var plain = new TrainingSpec { Dataset = "iris" };
        Assert.Equal(DataSplit.ByFraction(150, 0.2, 0).Val, DataSplit.For(plain, 150, TestPaths.Files).Val);
    }
}
