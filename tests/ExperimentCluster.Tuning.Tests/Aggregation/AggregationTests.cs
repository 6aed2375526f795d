namespace ExperimentCluster.Tuning.Tests;

public sealed class AggregationTests
{
    private static RunSummary Run(int number, string lr, string status, double? best, double? final, int? divergedAt = null) =>
        new(number, new Dictionary<string, string> { ["learning_rate"] = lr, ["activation"] = number % 2 == 0 ? "\"relu\"" : "\"tanh\"" }, status, best, final, 10, divergedAt);

    private static readonly RunSummary[] Runs =
    [
        Run(0, "0.01", "Completed", 0.30, 0.32),
        Run(1, "0.1", "Completed", 0.10, 0.12),
        Run(2, "10", "Diverged", 0.05, double.NaN, 2),
        Run(3, "0.1", "Completed", 0.10, 0.14),
        Run(4, "1", "Failed", null, null),
        Run(5, "0.01", "Stopped", 0.50, 0.50),
        Run(6, "1", "Running", null, null),
        Run(7, "0.001", "Completed", 0.90, 0.90),
    ];

    [Fact]
    public void The_leaderboard_orders_by_best_loss_with_ties_by_number_and_puts_diverged_then_failed_last()
    {
        var order = Aggregation.Leaderboard(Runs).Select(r => r.Number);

        Assert.Equal([1, 3, 0, 5, 7, 6, 2, 4], order);
    }

    [Fact]
    public void The_checkpoint_kept_is_the_lowest_final_loss_completed_runs_before_stopped_ones_then_the_leaderboards_order()
    {
        // Run 8 has the lowest loss at any epoch (it leads the leaderboard) and rose at the end; run 9 was stopped early
        // below every completed run's final loss.
        RunSummary[] runs = [.. Runs, Run(8, "0.05", "Completed", 0.01, 0.60), Run(9, "0.2", "Stopped", 0.05, 0.05)];

        Assert.Equal(8, Aggregation.Leaderboard(runs)[0].Number);
        Assert.Equal([1, 3, 0, 8, 7, 9, 5, 6, 2, 4], Aggregation.CheckpointOrder(runs).Select(r => r.Number));
    }

    [Fact]
    public void The_best_run_is_the_lowest_loss_that_neither_diverged_nor_failed()
    {
        Assert.Equal(1, Aggregation.Best(Runs)!.Number);
        Assert.Null(Aggregation.Best([Runs[2], Runs[4], Runs[6]]));
        Assert.Null(Aggregation.Best([]));
    }

    [Fact]
    public void Per_value_summaries_give_counts_mean_spread_divergence_and_best_for_each_value()
    {
        var summaries = Aggregation.PerValue(Runs);
        var rates = summaries.Where(s => s.Parameter == "learning_rate").ToArray();

        Assert.Equal(["0.001", "0.01", "0.1", "1", "10"], rates.Select(s => s.Value));
        var pointOne = rates.Single(s => s.Value == "0.1");
        Assert.Equal((2, 2, 0, 0.10), (pointOne.Runs, pointOne.Finished, pointOne.Diverged, pointOne.BestValLoss!.Value));
        Assert.Equal(0.13, pointOne.MeanFinalValLoss!.Value, 12);
        Assert.Equal(Math.Sqrt(0.0002), pointOne.StdFinalValLoss!.Value, 12);
        var ten = rates.Single(s => s.Value == "10");
        Assert.Equal((1, 0, 1, (double?)null, (double?)null), (ten.Runs, ten.Finished, ten.Diverged, ten.MeanFinalValLoss, ten.StdFinalValLoss));
        var pointZeroOne = rates.Single(s => s.Value == "0.01");
        Assert.Equal((2, 1, 0.32, (double?)null, 0.30), (pointZeroOne.Runs, pointZeroOne.Finished, pointZeroOne.MeanFinalValLoss!.Value, pointZeroOne.StdFinalValLoss, pointZeroOne.BestValLoss!.Value));
        Assert.Equal(["\"relu\"", "\"tanh\""], summaries.Where(s => s.Parameter == "activation").Select(s => s.Value));
    }

    [Fact]
    public void Per_value_summaries_list_range_buckets_and_lists_of_numbers_by_their_numbers()
    {
        RunSummary With(int number, string decay, string layers) =>
            new(number, new Dictionary<string, string> { ["weight_decay"] = decay, ["layers"] = layers }, "Completed", 0.1, 0.1, 10, null);
        var summaries = Aggregation.PerValue(
        [
            With(0, "\"0.0001..0.001\"", "[32,32]"),
            With(1, "\"1E-05..0.0001\"", "[32]"),
            With(2, "\"0.01..0.1\"", "[64]"),
            With(3, "\"0.001..0.01\"", "[16]"),
            With(4, "\"0.001..0.01\"", "[32,16]"),
        ]);

        Assert.Equal(["\"1E-05..0.0001\"", "\"0.0001..0.001\"", "\"0.001..0.01\"", "\"0.01..0.1\""],
            summaries.Where(s => s.Parameter == "weight_decay").Select(s => s.Value));
        Assert.Equal(["[16]", "[32]", "[32,16]", "[32,32]", "[64]"], summaries.Where(s => s.Parameter == "layers").Select(s => s.Value));
    }

    [Fact]
    public void Per_value_summaries_group_spellings_of_the_same_value()
    {
        var summaries = Aggregation.PerValue([Run(0, "0.10", "Completed", 0.1, 0.1), Run(1, "0.1", "Completed", 0.2, 0.2)]);

        Assert.Equal(2, summaries.Single(s => s.Parameter == "learning_rate").Runs);
    }
}
