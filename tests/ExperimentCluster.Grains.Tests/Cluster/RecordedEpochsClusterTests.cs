using System.Text.Json.Nodes;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>The epoch values a sweep stores for its runs: those its stopping rule reads and those its strategy reads
/// (TPE under constant liar compares a running trial with the completed ones at the same epoch), and no others.</summary>
public sealed class RecordedEpochsClusterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private static string Sweep(string strategy, string settings, string rule) => $$"""
        {
          "name": "recorded-epochs",
          "training": { "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 4 },
          "seeds": [1],
          "search": { "strategy": "{{strategy}}", "trials": 4, "seed": 1, "settings": {{settings}},
                      "space": { "learning_rate": { "log_uniform": [0.01, 0.1] } } },
          "early_stopping": { "rule": "{{rule}}" },
          "concurrency": 2
        }
        """;

    [Theory]
    [InlineData("tpe", """{"n_startup": 2}""", "none", "1,2,3,4")]
    [InlineData("tpe", """{"n_startup": 2, "constant_liar": false}""", "none", "")]
    [InlineData("random", "{}", "none", "")]
    [InlineData("random", "{}", "asha", "1,3")]
    [InlineData("tpe", """{"n_startup": 2}""", "asha", "1,2,3,4")]
    public async Task Each_completed_run_stores_the_epochs_its_rule_and_its_strategy_read(string strategy, string settings, string rule, string expected)
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "recorded-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep(strategy, settings, rule))).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);
        // Deactivating writes anything still pending, so the file holds the sweep's final state.
        await test.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var bucket = Silo.Storage.SqliteStateInspector.ReadStateJson(test.DatabasePath, GrainId.Create("sweepruns", $"{id}/0"), "runs");
        var runs = JsonNode.Parse(bucket!)!["Runs"]!.AsArray();
        var completed = runs.Where(r => (string?)r!["Status"] == nameof(RunStatus.Completed)).ToList();
        Assert.NotEmpty(completed);
        Assert.All(completed, r => Assert.Equal(expected, string.Join(",", r!["Values"]!.AsArray().Select(v => (int)v!["Epoch"]!))));
    }
}
