using System.Globalization;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>An lr-decades sweep over a range of learning rates, as the command-sweep examples run it.</summary>
public sealed class LrDecadesClusterTests
{
    // lr-decades plans its longest path (survey, extension to the far end of the range, every refinement round) and
    // usually stops sooner: extension ends when a step no longer improves.
    private const string Sweep = """
        {
          "name": "lr-decades-range",
          "training": { "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 3 },
          "seeds": 2,
          "search": { "strategy": "lr-decades", "settings": { "resolution": 0.5 }, "space": { "learning_rate": { "log_uniform": [0.000001, 100] } } },
          "concurrency": 4
        }
        """;

    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_search_that_finishes_before_its_plan_ends_with_the_runs_it_made_as_planned()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "planned-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep)).Error);
        var atStart = (await test.Grains.Sweep(id).GetState())!.PlannedRuns;

        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);

        Assert.Equal(SweepStatus.Completed, done.Status);
        Assert.True(done.FinishedRuns < atStart, $"{done.FinishedRuns} runs of a plan of {atStart}: the test needs a search that ends early");
        Assert.Equal(done.FinishedRuns, done.PlannedRuns);
    }

    [Fact]
    public async Task Each_rate_it_tried_is_a_line_of_the_per_value_summaries_not_a_decade()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "values-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep)).Error);
        await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);

        var results = (await test.Grains.Sweep(id).GetResultsAsync())!;
        var rates = results.Leaderboard.Select(r => r.Config["learning_rate"]).Distinct().Order(StringComparer.Ordinal).ToList();
        var lines = results.PerValue.Where(v => v.Parameter == "learning_rate").ToList();

        Assert.Equal(rates, lines.Select(v => v.Value).Order(StringComparer.Ordinal));
        Assert.All(lines, v => Assert.Equal(2, v.Runs));
        // In the order of the rates.
        Assert.Equal(lines.Select(v => double.Parse(v.Value, CultureInfo.InvariantCulture)).Order(), lines.Select(v => double.Parse(v.Value, CultureInfo.InvariantCulture)));
    }
}
