using ExperimentCluster.SweepModel;

namespace ExperimentCluster.Grains.Tests.Checkpoints;

public sealed class KeepCheckpointsTests
{
    private static string Sweep(string extra) => $$"""
        {
          "training": { "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 3 },
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01, 0.1] } } }{{extra}}
        }
        """;

    [Fact]
    public void Without_the_key_the_best_run_keeps_its_checkpoint()
    {
        Assert.Equal(KeepCheckpoints.Best, SweepDefinition.Parse(Sweep("")).KeepCheckpoints);
    }

    [Theory]
    [InlineData("none", KeepCheckpoints.None)]
    [InlineData("best", KeepCheckpoints.Best)]
    [InlineData("all", KeepCheckpoints.All)]
    public void Each_choice_is_read(string value, KeepCheckpoints expected)
    {
        Assert.Equal(expected, SweepDefinition.Parse(Sweep($", \"keep_checkpoints\": \"{value}\"")).KeepCheckpoints);
    }

    [Theory]
    [InlineData("\"some\"", "'some' is not a choice; expected none, best or all")]
    [InlineData("\"Best\"", "'Best' is not a choice; expected none, best or all")]
    [InlineData("1", "must be one of the strings none, best or all")]
    [InlineData("[\"best\"]", "must be one of the strings none, best or all")]
    public void A_bad_value_is_refused_naming_the_key(string value, string reason)
    {
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse(Sweep($", \"keep_checkpoints\": {value}")));
        Assert.Equal("keep_checkpoints", e.Path);
        Assert.Equal(reason, e.Reason);
    }
}
