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

    [Fact]
    public void A_conditional_parameter_counts_once_where_it_is_not_read()
    {
        Assert.Equal(10, Spaces.ConditionalGrid.GridSize);
        Assert.Equal(10, GridSearch.Points(Spaces.ConditionalGrid.Parameters).Distinct().Count());
        Assert.Equal(10, GridSearch.Points(Spaces.ConditionalGrid.Parameters).Count());
        Assert.Equal(double.PositiveInfinity, Spaces.ConditionalMixed.GridSize);
    }

    [Fact]
    public void A_configuration_holds_a_conditional_parameter_only_where_it_is_read()
    {
        var sgd = new Dictionary<string, string> { ["optimizer"] = "\"sgd\"", ["learning_rate"] = "0.1" };
        var momentum = new Dictionary<string, string> { ["optimizer"] = "\"momentum\"", ["momentum"] = "0.9", ["learning_rate"] = "0.1" };
        var space = Spaces.ConditionalGrid;

        Assert.True(space.Contains(sgd));
        Assert.True(space.Contains(momentum));
        Assert.False(space.Contains(new Dictionary<string, string>(momentum) { ["momentum"] = "0.7" }));
        Assert.False(space.Contains(momentum.Where(kv => kv.Key != "momentum").ToDictionary()));
        // Made before the parameter was conditional: the unread value is still a value of its domain.
        Assert.True(space.Contains(new Dictionary<string, string>(sgd) { ["momentum"] = "0.5" }));
        Assert.Equal(TrialConfig.From(sgd), space.Prune(new Dictionary<string, string>(sgd) { ["momentum"] = "0.5", ["beta1"] = "0.8" }));
        Assert.Equal(TrialConfig.From(momentum), space.Prune(momentum));
    }

    [Theory]
    [InlineData("optimizer", "\"momentum\"", "optimizer", "a parameter cannot depend on itself")]
    [InlineData("missing", "\"momentum\"", "momentum", "'missing' is not a parameter of the space")]
    [InlineData("learning_rate", "0.1", "momentum", "'learning_rate' is a range")]
    [InlineData("beta1", "0.8", "momentum", "'beta1' is conditional itself")]
    [InlineData("optimizer", "\"nadam\"", "momentum", "\"nadam\" is not one of optimizer's values")]
    public void A_bad_condition_is_refused_naming_the_parameter_and_why(string choice, string value, string name, string reason)
    {
        Parameter[] parameters =
        [
            new Parameter("learning_rate", new LogUniformDomain(1e-4, 1)),
            new Parameter("optimizer", new ValuesDomain(["\"sgd\"", "\"momentum\"", "\"adam\""])),
            new Parameter("beta1", new ValuesDomain(["0.8", "0.9"])) { When = new Condition("optimizer", ["\"adam\""]) },
            new Parameter("momentum", new ValuesDomain(["0.5", "0.9"])),
        ];
        parameters = [.. parameters.Select(p => p.Name == name ? p with { When = new Condition(choice, [value]) } : p)];

        var error = Assert.Throws<TuningException>(() => new SearchSpace(parameters));

        Assert.Equal($"search.space.{name}.when", error.Field);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }
}
