namespace ExperimentCluster.Tuning.Tests;

public sealed class SweepComparisonTests
{
    private static RunSummary Run(int number, string status, double? best, int epochs, string lr = "0.1") =>
        new(number, new Dictionary<string, string> { ["learning_rate"] = lr }, status, best, best, epochs, null);

    [Fact]
    public void Per_value_rows_are_aligned_across_sweeps_with_a_gap_where_a_sweep_has_no_such_value()
    {
        var a = Aggregation.PerValue([Run(0, "Completed", 0.5, 1, "0.1"), Run(1, "Completed", 0.7, 1, "1")]);
        var b = Aggregation.PerValue([Run(0, "Completed", 0.4, 1, "0.10"), Run(1, "Completed", 0.6, 1, "0.03162")]);
        var rows = SweepComparison.Align([a, b], v => v.Parameter, v => v.Value);

        Assert.Equal(["0.03162", "0.1", "1"], rows.Select(r => r.Value));
        Assert.All(rows, r => Assert.Equal("learning_rate", r.Parameter));
        Assert.Null(rows[0].Cells[0]);
        Assert.Equal(0.6, rows[0].Cells[1]!.MeanFinalValLoss);
        Assert.Equal(0.5, rows[1].Cells[0]!.MeanFinalValLoss);
        Assert.Equal(0.4, rows[1].Cells[1]!.MeanFinalValLoss);
        Assert.Null(rows[2].Cells[1]);
    }

    [Fact]
    public void Decade_buckets_and_lists_of_numbers_align_in_the_order_of_their_numbers()
    {
        var a = Aggregation.PerValue([Run(0, "Completed", 0.5, 1, "\"0.001..0.01\""), Run(1, "Completed", 0.7, 1, "\"1E-05..0.0001\"")]);
        var b = Aggregation.PerValue([Run(0, "Completed", 0.4, 1, "\"0.0001..0.001\"")]);
        var rows = SweepComparison.Align([a, b], v => v.Parameter, v => v.Value);

        Assert.Equal(["\"1E-05..0.0001\"", "\"0.0001..0.001\"", "\"0.001..0.01\""], rows.Select(r => r.Value));
        Assert.Equal(0.4, rows[1].Cells[1]!.MeanFinalValLoss);
    }
}
