namespace ExperimentCluster.Tuning.Tests;

public sealed class BestSoFarTests
{
    private static RunSummary Run(int number, string status, double? final, int epochs) =>
        new(number, new Dictionary<string, string> { ["learning_rate"] = "0.1" }, status, final, final, epochs, status == "Diverged" ? epochs : null);

    [Fact]
    public void The_curve_follows_start_order_adds_up_the_epochs_and_only_completed_runs_improve_it()
    {
        // Given out of order: the curve is by run number (start order).
        RunSummary[] runs =
        [
            Run(3, "Completed", 0.2, 10),
            Run(0, "Completed", 0.5, 10),
            Run(1, "Diverged", double.NaN, 2),
            Run(2, "Stopped", 0.1, 3), // stopped early: its last loss is not a result
            Run(4, "Completed", 0.3, 10),
            Run(5, "Running", null, 4),
        ];

        var curve = BestSoFar.Of(runs);

        Assert.Equal([0, 1, 2, 3, 4, 5], curve.Select(p => p.Run));
        Assert.Equal([10, 12, 15, 25, 35, 39], curve.Select(p => p.EpochsConsumed));
        Assert.Equal([0.5, 0.5, 0.5, 0.2, 0.2, 0.2], curve.Select(p => p.BestFinalValLoss!.Value));
        Assert.Equal([0.5, null, null, 0.2, 0.3, null], curve.Select(p => p.FinalValLoss));
    }

    [Fact]
    public void Before_any_run_completes_there_is_no_best_and_the_curve_never_rises()
    {
        var random = new Random(3);
        var runs = Enumerable.Range(0, 200).Select(n => n < 3
            ? Run(n, "Diverged", double.NaN, 1)
            : Run(n, random.Next(4) == 0 ? "Stopped" : "Completed", random.NextDouble(), 1 + random.Next(20))).ToList();

        var curve = BestSoFar.Of(runs);

        Assert.All(curve.Take(3), p => Assert.Null(p.BestFinalValLoss));
        var bests = curve.Skip(3).Select(p => p.BestFinalValLoss!.Value).ToList();
        Assert.All(bests.Zip(bests.Skip(1)), pair => Assert.True(pair.Second <= pair.First));
        Assert.Equal(runs.Where(r => r.Status == "Completed").Min(r => r.FinalValLoss), bests[^1]);
        Assert.Empty(BestSoFar.Of([]));
    }

    [Fact]
    public void The_step_line_turns_where_the_best_improved_and_ends_at_the_epochs_consumed()
    {
        RunSummary[] runs =
        [
            Run(2, "Completed", 0.5, 10),
            Run(0, "Completed", 0.8, 10),
            Run(1, "Diverged", 0.01, 3), // a diverged run's early loss is not a result
            Run(3, "Stopped", 0.4, 4),
            Run(4, "Failed", null, 0),
        ];

        Assert.Equal([new BestSoFarStep(10, 0.8), new BestSoFarStep(23, 0.5), new BestSoFarStep(27, 0.5)], BestSoFar.Steps(runs));
        Assert.Equal(0.5, BestSoFar.Best(runs));
    }

    [Fact]
    public void A_warm_start_best_starts_the_step_line_at_zero_epochs()
    {
        Assert.Equal([new BestSoFarStep(0, 0.4), new BestSoFarStep(10, 0.2)],
            BestSoFar.Steps([Run(0, "Completed", 0.9, 5), Run(1, "Completed", 0.2, 5)], startingBest: 0.4));
        Assert.Empty(BestSoFar.Steps([Run(0, "Diverged", null, 2)]));
        Assert.Null(BestSoFar.Best([Run(0, "Diverged", null, 2)]));
    }
}
