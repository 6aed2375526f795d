using ExperimentCluster.Contracts;
using ExperimentCluster.Training;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>
/// A sweep whose trainer has <c>patience</c>: a run ends once its validation loss stops falling, and the sweep ranks it,
/// and <c>excl model</c> gives it, by its best epoch, whose weights it ended with.
/// </summary>
public sealed class PatienceClusterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_run_ended_by_patience_is_completed_with_its_best_epochs_loss_as_its_final_one_and_that_epochs_model()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "patience-" + Guid.NewGuid().ToString("N")[..6];
        const string sweep = """
            {
              "training": { "dataset": "diabetes", "layers": [32], "optimizer": "adam", "batch_size": 16, "epochs": 30, "patience": 4 },
              "seeds": [1],
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.05] } } },
              "keep_checkpoints": "all"
            }
            """;
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);

        var detail = (await test.Grains.Run(id, 0).GetDetailAsync(0))!;
        SweepClusterTests.AssertSameTrajectory(SweepClusterTests.Uninterrupted(detail.SpecJson), detail.Metrics);
        var best = detail.Metrics.MinBy(m => m.ValLoss)!;
        Assert.Equal(RunStatus.Completed, detail.Run.Status);
        Assert.Equal(best.Epoch + 4, detail.Metrics.Count);
        Assert.True(detail.Metrics.Count < 30, "patience should have ended the run early");
        Assert.Contains($"ended by patience: no lower validation loss in the 4 epochs after epoch {best.Epoch}", detail.Run.Reason, StringComparison.Ordinal);
        Assert.Equal(best.Epoch, detail.Run.ModelEpoch);
        Assert.Equal(best.ValLoss, detail.Run.FinalValLoss);

        // The sweep's record, which ranks the run and answers the sweep, has the same final loss.
        var results = (await test.Grains.Sweep(id).GetResultsAsync())!;
        var ranked = Assert.Single(results.Leaderboard);
        Assert.Equal(best.ValLoss, ranked.FinalValLoss);
        Assert.Equal(best.ValAccuracy, ranked.FinalValAccuracy);
        Assert.Equal(best.Epoch, ranked.ModelEpoch);
        Assert.Equal(detail.Run.Reason, ranked.Reason);

        var model = (await test.Grains.Run(id, 0).GetModelAsync())!;
        Assert.Null(model.Problem);
        Assert.Equal(best.Epoch, model.Epoch);
    }
}
