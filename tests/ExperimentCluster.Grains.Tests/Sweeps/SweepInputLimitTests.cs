using System.Text;
using ExperimentCluster.SweepModel;

namespace ExperimentCluster.Grains.Tests.Sweeps;

/// <summary>The sweep model's limits on what it reads: size, nesting, ids, names and grids too large to plan.</summary>
public sealed class SweepInputLimitTests
{
    private const string Grid = """
        { "training": { "dataset": "iris", "layers": [8], "epochs": 2 },
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01, 0.1] } } } }
        """;

    [Fact]
    public void A_file_above_the_size_limit_is_refused_naming_the_limit()
    {
        var e = Assert.Throws<SweepException>(() => SweepLimits.CheckSize(SweepLimits.DefaultMaxFileBytes + 1, SweepLimits.DefaultMaxFileBytes));
        Assert.Contains("1048576 bytes", e.Reason, StringComparison.Ordinal);
        SweepLimits.CheckSize(SweepLimits.DefaultMaxFileBytes, SweepLimits.DefaultMaxFileBytes);
    }

    [Fact]
    public void Yaml_nested_ten_thousand_deep_is_refused_with_the_path_where_it_passes_the_limit()
    {
        var yaml = "name: deep\nsearch:\n  settings:\n    x: " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        var e = Assert.Throws<SweepException>(() => SweepYaml.ToJson(yaml));
        Assert.StartsWith("search.settings.x[0]", e.Path, StringComparison.Ordinal);
        Assert.Contains("nested more than 32", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_aliases_that_expand_into_an_endless_or_huge_tree_are_refused()
    {
        var laughs = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 9; i++)
            laughs.Append(CultureInfo($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat(i == 1 ? "*a" : $"*l{i - 1}", 10))}]\n"));
        var e = Assert.Throws<SweepException>(() => SweepYaml.ToJson(laughs.ToString()));
        Assert.Contains("more than", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_nested_too_deep_is_refused_with_a_path_not_a_crash()
    {
        var json = "{\"search\": {\"settings\": {\"x\": " + new string('[', 100_000) + new string(']', 100_000) + "}}}";
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse(json));
        Assert.StartsWith("search.settings.x[0]", e.Path, StringComparison.Ordinal);
        Assert.Contains("nested more than", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_syntax_error_gives_its_position_once()
    {
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse("{\n  \"name\": x\n}"));
        Assert.Equal("line 2, column 11", e.Path);
        Assert.DoesNotContain("LineNumber", e.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePosition", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("a/b", "character 2 ('/')")]
    [InlineData("..", "must start with a letter or a digit")]
    [InlineData("../../x", "must start with a letter or a digit")]
    [InlineData("/tmp/x", "must start with a letter or a digit")]
    [InlineData("a\nb", "U+000A")]
    [InlineData("a\u001b[31mb", "U+001B")]
    [InlineData("a b", "U+0020")]
    public void An_id_outside_the_rule_is_refused_with_the_reason(string id, string reason)
    {
        var e = Assert.Throws<SweepException>(() => SweepId.Check(id));
        Assert.Equal("id", e.Path);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_id_of_seven_thousand_characters_is_refused_and_one_of_a_hundred_is_taken()
    {
        Assert.Contains("7000 characters", Assert.Throws<SweepException>(() => SweepId.Check(new string('a', 7000))).Reason, StringComparison.Ordinal);
        SweepId.Check(new string('a', 100));
        SweepId.Check("lr-decades_2.1");
    }

    [Theory]
    [InlineData("digits search")]
    [InlineData("\u001b[2J")]
    [InlineData("")]
    [InlineData("a name far longer than anything else, a name far longer than anything else, a name far longer than anything else, a name far longer than anything else")]
    public void A_generated_id_follows_the_rule(string name) =>
        SweepId.Check(SweepId.New(name, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), 0xbeef));

    [Fact]
    public void A_results_folder_stays_inside_the_output_folder() =>
        Assert.Throws<SweepException>(() => SweepId.ResultsFolder("excl-results", "../../x"));

    [Fact]
    public void A_name_with_control_characters_is_refused()
    {
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse(Grid.Replace("{ \"training\"", "{ \"name\": \"x\\u001b[31my\", \"training\"", StringComparison.Ordinal)));
        Assert.Equal("name", e.Path);
        Assert.Contains("U+001B", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grid_of_ten_to_the_twelve_points_is_refused_even_when_large_grids_are_allowed()
    {
        var json = $$"""
            { "allow_large_grid": true, "training": { "dataset": "iris", "epochs": 2 },
              "search": { "strategy": "grid", "space": {
                "learning_rate": { "values": {{Numbers(1000, 1e-6)}} },
                "weight_decay": { "values": {{Numbers(1000, 1e-7)}} },
                "epochs": { "values": {{Numbers(1000, 1)}} },
                "layers": { "values": [{{string.Join(", ", Enumerable.Range(1, 1000).Select(i => $"[{i}]"))}}] } } } }
            """;
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse(json));
        Assert.Equal("search.space", e.Path);
        Assert.Contains("1e+12 points", e.Reason, StringComparison.Ordinal);
        Assert.Contains("even with allow_large_grid", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_hundred_thousand_listed_values_are_parsed()
    {
        var json = $$"""
            { "training": { "dataset": "iris", "epochs": 2 },
              "search": { "strategy": "random", "trials": 1, "space": { "learning_rate": { "values": {{Numbers(200_000, 1e-7)}} } } } }
            """;
        var definition = SweepDefinition.Parse(json);
        Assert.Equal(200_000, ((ExperimentCluster.Tuning.ValuesDomain)definition.Space.Parameters[0].Domain).Values.Count);
    }

    /// <summary>[step, 2 step, ... count step]: distinct positive numbers.</summary>
    private static string Numbers(int count, double step) =>
        "[" + string.Join(", ", Enumerable.Range(1, count).Select(i => (i * step).ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";

    private static string CultureInfo(FormattableString s) => FormattableString.Invariant(s);
}
