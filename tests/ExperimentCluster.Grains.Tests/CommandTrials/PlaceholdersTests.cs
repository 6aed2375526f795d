using ExperimentCluster.CommandTrials;

namespace ExperimentCluster.Grains.Tests.CommandTrials;

public sealed class PlaceholdersTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["learning_rate"] = "0.01",
        ["layers"] = "[64,32]",
        ["seed"] = "3",
    };

    [Theory]
    [InlineData("--lr={learning_rate}", "--lr=0.01")]
    [InlineData("{learning_rate}{seed}", "0.013")]
    [InlineData("--layers={layers}", "--layers=[64,32]")]
    [InlineData("no placeholder", "no placeholder")]
    [InlineData("{{learning_rate}}", "{learning_rate}")]
    [InlineData("{{{learning_rate}}}", "{0.01}")]
    [InlineData("{{\"a\": 1}}", "{\"a\": 1}")]
    [InlineData("", "")]
    public void Placeholders_expand_and_double_braces_are_literal(string template, string expected)
    {
        Assert.Equal(expected, Placeholders.Expand(template, Values, "run[1]"));
    }

    [Fact]
    public void Names_lists_the_placeholders_a_template_uses()
    {
        Assert.Equal(["learning_rate", "seed", "learning_rate"], Placeholders.Names("{learning_rate}-{seed}-{learning_rate}-{{x}}", "run[1]"));
        Assert.Empty(Placeholders.Names("{{x}}", "run[1]"));
    }

    [Theory]
    [InlineData("{learning_rate", "not closed")]
    [InlineData("learning_rate}", "closes nothing")]
    [InlineData("{}", "not a placeholder")]
    [InlineData("{learning rate}", "not a placeholder")]
    [InlineData("{1st}", "not a placeholder")]
    [InlineData("{\"a\": 1}", "not a placeholder")]
    public void A_malformed_template_says_where_and_why(string template, string reason)
    {
        var e = Assert.Throws<CommandSpecException>(() => Placeholders.Names(template, "env.X"));
        Assert.Equal("env.X", e.Field);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_without_a_value_is_refused_not_left_in_place()
    {
        var e = Assert.Throws<CommandSpecException>(() => Placeholders.Expand("{width}", Values, "run[2]"));
        Assert.Equal("run[2]", e.Field);
        Assert.Contains("{width}", e.Reason, StringComparison.Ordinal);
    }
}
