using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Tests.Cluster;

public sealed class PlannedRunsClusterTests
{
    [Fact]
    public async Task A_search_that_finishes_before_its_plan_ends_with_the_runs_it_made_as_planned()
    {
        // lr-decades plans its longest path (survey, extension to the far end of the range, every refinement round) and
        // usually stops sooner: extension ends when a step no longer improves.
        const string Sweep = """
            {
              "name": "planned",
              "training": { "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 3 },
              "search": { "strategy": "lr-decades", "settings": { "resolution": 0.5 }, "space": { "learning_rate": { "log_uniform": [0.000001, 100] } } },
              "concurrency": 3
            }
            """;
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "planned-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep)).Error);
        var atStart = (await test.Grains.Sweep(id).GetState())!.PlannedRuns;

        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, TimeSpan.FromMinutes(2));

        Assert.Equal(SweepStatus.Completed, done.Status);
        Assert.True(done.FinishedRuns < atStart, $"{done.FinishedRuns} runs of a plan of {atStart}: the test needs a search that ends early");
        Assert.Equal(done.FinishedRuns, done.PlannedRuns);
    }
}
