using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains.Tests.Sweeps;

public sealed class ValueBucketsTests
{
    private static readonly SearchSpace Space = new([
        new Parameter("learning_rate", new LogUniformDomain(1e-4, 1)),
        new Parameter("dropout", new UniformDomain(0, 0.5)),
        new Parameter("activation", new ValuesDomain(["\"relu\"", "\"tanh\""])),
    ]);

    [Theory]
    [InlineData("0.00042", "\"0.0001..0.001\"")]
    [InlineData("0.05", "\"0.01..0.1\"")]
    [InlineData("0.1", "\"0.1..1\"")]
    [InlineData("1", "\"0.1..1\"")] // the range's top closes its last decade; "1..10" lies outside the range
    public void A_log_range_value_is_summarised_by_its_decade(string value, string bucket)
    {
        var labelled = ValueBuckets.Label(new Dictionary<string, string> { ["learning_rate"] = value, ["activation"] = "\"relu\"" }, Space);
        Assert.Equal(bucket, labelled["learning_rate"]);
        Assert.Equal("\"relu\"", labelled["activation"]);
    }

    [Fact]
    public void A_decade_above_a_hundred_is_written_as_a_plain_number()
    {
        var wide = new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-3, 300))]);
        Assert.Equal("\"100..1000\"", ValueBuckets.Label(new Dictionary<string, string> { ["learning_rate"] = "137.8" }, wide)["learning_rate"]);
        Assert.Equal("\"0.001..0.01\"", ValueBuckets.Label(new Dictionary<string, string> { ["learning_rate"] = "0.0042" }, wide)["learning_rate"]);
    }

    [Fact]
    public void A_linear_range_value_falls_in_one_of_five_equal_bins()
    {
        Assert.Equal("\"0.2..0.3\"", ValueBuckets.Label(new Dictionary<string, string> { ["dropout"] = "0.25" }, Space)["dropout"]);
        Assert.Equal("\"0.4..0.5\"", ValueBuckets.Label(new Dictionary<string, string> { ["dropout"] = "0.5" }, Space)["dropout"]);
    }

    [Fact]
    public void A_config_without_range_values_is_returned_as_it_is()
    {
        var config = new Dictionary<string, string> { ["activation"] = "\"tanh\"", ["seed"] = "2" };
        Assert.Same(config, ValueBuckets.Label(config, Space));
    }
}
