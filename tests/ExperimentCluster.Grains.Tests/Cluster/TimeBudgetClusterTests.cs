using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>
/// A sweep with a <c>time_budget</c> far below what its plan needs: it starts no run once the budget is used, lets the
/// runs training then finish, cancels the runs it never started, and completes saying why; a retry asked for after that
/// still trains.
/// </summary>
public sealed class TimeBudgetClusterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Once_the_budget_is_used_nothing_new_starts_the_runs_training_finish_and_a_retry_still_trains()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "budget-" + Guid.NewGuid().ToString("N")[..6];
        // 200 runs of a network that takes a good part of a second per run on any machine: far more than 2 s of training.
        const string sweep = """
            {
              "training": { "dataset": "digits", "layers": [256, 256], "optimizer": "sgd", "epochs": 30 },
              "seeds": 2,
              "search": { "strategy": "random", "trials": 100, "space": { "learning_rate": { "log_uniform": [0.001, 0.3] } } },
              "time_budget": "2s",
              "concurrency": 3
            }
            """;
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);

        Assert.Equal(SweepStatus.Completed, done.Status);
        Assert.StartsWith("its time budget (2s) ran out after ", done.Reason, StringComparison.Ordinal);
        var results = (await test.Grains.Sweep(id).GetResultsAsync())!;
        Assert.Equal(2, results.TimeBudget!.BudgetSeconds);
        Assert.InRange(results.TimeBudget.UsedSeconds, 2, 180);
        var runs = results.Leaderboard;
        Assert.InRange(runs.Count, 1, 199);
        // Every run that trained finished its epochs; a run never started was cancelled, with the reason.
        foreach (var run in runs.Where(r => r.Epochs > 0))
            Assert.Equal((run.Number, RunStatus.Completed, 30), (run.Number, run.Status, run.Epochs));
        foreach (var run in runs.Where(r => r.Epochs == 0))
            Assert.Equal((RunStatus.Cancelled, "the sweep's time budget (2s) ran out before it started"), (run.Status, run.Reason));
        Assert.Contains($"after {runs.Count(r => r.Epochs > 0)} of 200 planned runs had started", done.Reason, StringComparison.Ordinal);

        await test.Grains.Sweep(id).RetryAsync(new RetryRequest(Runs: [0]));
        var again = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, again.Status);
        var retried = (await test.Grains.Run(id, 0).GetState())!;
        Assert.Equal((2, RunStatus.Completed), (retried.Attempt, retried.Status));
    }
}
