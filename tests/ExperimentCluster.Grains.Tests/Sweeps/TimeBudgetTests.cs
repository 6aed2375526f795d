using ExperimentCluster.SweepModel;

namespace ExperimentCluster.Grains.Tests.Sweeps;

public sealed class TimeBudgetTests
{
    private static string Sweep(string budget) => $$"""
        {
          "training": { "dataset": "iris", "layers": [8], "epochs": 3 },
          "search": { "strategy": "random", "trials": 10, "space": { "learning_rate": { "log_uniform": [0.001, 0.1] } } },
          "time_budget": {{budget}}
        }
        """;

    [Theory]
    [InlineData("\"45s\"", 45)]
    [InlineData("\"90m\"", 5400)]
    [InlineData("\"1.5h\"", 5400)]
    [InlineData("\"2d\"", 172800)]
    public void A_duration_with_its_unit_is_read(string budget, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), SweepDefinition.Parse(Sweep(budget)).TimeBudget);
    }

    [Fact]
    public void Without_a_budget_there_is_no_limit()
    {
        Assert.Null(SweepDefinition.Parse(Sweep("null")).TimeBudget);
        Assert.Null(SweepDefinition.Parse(Sweep("null").Replace("\"time_budget\": null", "\"name\": \"x\"", StringComparison.Ordinal)).TimeBudget);
    }

    [Theory]
    [InlineData("90", "a bare number has no unit")]
    [InlineData("\"90\"", "'90' is not a duration with its unit")]
    [InlineData("\"90 min\"", "'90 min' is not a duration with its unit")]
    [InlineData("\"-5m\"", "'-5m' is not a duration with its unit")]
    [InlineData("\"0s\"", "'0s' is outside 1 second to 365 days")]
    [InlineData("\"400d\"", "'400d' is outside 1 second to 365 days")]
    [InlineData("[\"1h\"]", "must be a duration with its unit")]
    public void A_bad_budget_is_refused_naming_the_key(string budget, string reason)
    {
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse(Sweep(budget)));
        Assert.Equal("time_budget", e.Path);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(5400, "90m")]
    [InlineData(7200, "2h")]
    [InlineData(172800, "2d")]
    public void A_budget_is_written_in_its_largest_whole_unit(double seconds, string text)
    {
        Assert.Equal(text, TimeBudget.Text(TimeSpan.FromSeconds(seconds)));
    }
}
