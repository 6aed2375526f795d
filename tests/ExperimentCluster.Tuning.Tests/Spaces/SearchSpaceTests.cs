namespace ExperimentCluster.Tuning.Tests;

public sealed class SearchSpaceTests
{
    [Fact]
    public void The_grid_size_is_the_product_of_the_value_counts_and_infinite_with_a_range()
    {
        Assert.Equal(12, Spaces.Grid.GridSize);
        Assert.Equal(double.PositiveInfinity, Spaces.Mixed.GridSize);
        Assert.Equal(1, new SearchSpace([]).GridSize);
    }

    [Theory]
    [InlineData("uniform", "search.space.p")]
    [InlineData("log", "search.space.p")]
    [InlineData("int", "search.space.p")]
    [InlineData("intlog", "search.space.p")]
    [InlineData("empty", "search.space.p")]
    [InlineData("json", "search.space.p.values[1]")]
    [InlineData("twice", "search.space.p.values[1]")]
    public void A_bad_domain_is_rejected_naming_the_parameter(string kind, string field)
    {
        Domain domain = kind switch
        {
            "uniform" => new UniformDomain(1, 1),
            "log" => new LogUniformDomain(0, 1),
            "int" => new IntUniformDomain(5, 4),
            "intlog" => new IntUniformDomain(0, 4, Log: true),
            "empty" => new ValuesDomain([]),
            "json" => new ValuesDomain(["1", "relu"]),
            _ => new ValuesDomain(["0.1", "0.10"]),
        };

        var error = Assert.Throws<TuningException>(() => new SearchSpace([new Parameter("p", domain)]));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void A_parameter_listed_twice_is_rejected()
    {
        var error = Assert.Throws<TuningException>(() => new SearchSpace([new Parameter("p", new ValuesDomain(["1"])), new Parameter("p", new ValuesDomain(["2"]))]));

        Assert.Equal("search.space.p: is listed twice", error.Message);
    }

    [Fact]
    public void Listed_values_are_kept_in_one_canonical_spelling()
    {
        var domain = new ValuesDomain(["0.010", "1e-3", " [32, 32] ", "\"relu\"", "64.0", "{\"b\":1,\"a\":2}"]);

        Assert.Equal(["0.01", "0.001", "[32,32]", "\"relu\"", "64", "{\"a\":2,\"b\":1}"], domain.Values);
        Assert.Equal(1, domain.IndexOf("1E-3"));
    }

    [Fact]
    public void A_configuration_is_inside_the_space_only_with_every_parameter_in_its_domain()
    {
        var inside = new Dictionary<string, string>
        {
            ["learning_rate"] = "0.01", ["hidden_layers"] = "2", ["neurons"] = "64", ["batch_size"] = "32", ["activation"] = "\"tanh\"", ["dropout"] = "0.25",
        };

        Assert.True(Spaces.Mixed.Contains(inside));
        Assert.False(Spaces.Mixed.Contains(new Dictionary<string, string>(inside) { ["hidden_layers"] = "4" }));
        Assert.False(Spaces.Mixed.Contains(new Dictionary<string, string>(inside) { ["hidden_layers"] = "2.5" }));
        Assert.False(Spaces.Mixed.Contains(new Dictionary<string, string>(inside) { ["neurons"] = "48" }));
        Assert.False(Spaces.Mixed.Contains(new Dictionary<string, string>(inside) { ["learning_rate"] = "2" }));
        Assert.False(Spaces.Mixed.Contains(new Dictionary<string, string>(inside) { ["extra"] = "1" }));
    }
}
