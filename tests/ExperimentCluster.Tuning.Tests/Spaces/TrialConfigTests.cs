namespace ExperimentCluster.Tuning.Tests;

public sealed class TrialConfigTests
{
    [Fact]
    public void Configurations_compare_by_value_whatever_the_order_or_spelling()
    {
        var a = new TrialConfig([new("lr", "0.010"), new("act", "\"relu\"")]);
        var b = new TrialConfig([new("act", "\"relu\""), new("lr", "1e-2")]);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal("""{"act":"relu","lr":0.01}""", a.Key);
        Assert.True(TrialConfig.AreEqual(new Dictionary<string, string> { ["lr"] = "0.01", ["act"] = "\"relu\"" }, a));
        Assert.NotEqual(a, new TrialConfig([new("lr", "0.01"), new("act", "\"tanh\"")]));
    }

    [Fact]
    public void Non_ascii_and_escaped_text_is_kept_readable_and_stable()
    {
        var config = new TrialConfig([new("name", "\"caf\\u00e9 \\\"x\\\"\"")]);

        Assert.Equal("\"café \\\"x\\\"\"", config["name"]);
        Assert.Equal(config, new TrialConfig([new("name", config["name"])]));
    }
}
