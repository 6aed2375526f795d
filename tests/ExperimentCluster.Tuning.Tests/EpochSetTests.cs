namespace ExperimentCluster.Tuning.Tests;

/// <summary>The epochs a sweep records: what its rule and its strategy read together.</summary>
public sealed class EpochSetTests
{
    [Fact]
    public void The_union_is_every_epoch_when_either_reader_needs_every_epoch()
    {
        Assert.Null(EpochSet.Union(null, EpochSet.None));
        Assert.Null(EpochSet.Union(new HashSet<int> { 1, 3 }, null));
    }

    [Fact]
    public void The_union_holds_the_epochs_of_both_and_nothing_else()
    {
        Assert.Equal([1, 3, 9], EpochSet.Union(new HashSet<int> { 1, 3 }, new HashSet<int> { 3, 9 })!.Order());
        Assert.Equal([1, 3], EpochSet.Union(new HashSet<int> { 1, 3 }, EpochSet.None)!.Order());
        Assert.Equal([9], EpochSet.Union(EpochSet.None, new HashSet<int> { 9 })!.Order());
        Assert.Empty(EpochSet.Union(EpochSet.None, EpochSet.None)!);
    }
}
