using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains.Tests.Sweeps;

/// <summary>The edit parser: what an edit makes of a sweep file, and the path-precise refusals that change nothing.</summary>
public sealed class SweepEditTests
{
    private const string Random = """
        { // comments are allowed in the file an edit changes
          "name": "wide", "seeds": 1, "concurrency": 2,
          "training": { "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 3 },
          "search": { "strategy": "random", "trials": 10, "seed": 7, "space": {
            "learning_rate": { "log_uniform": [0.00001, 1] },
            "batch_size": { "int": [8, 32] },
            "activation": { "values": ["relu", "tanh"] } } },
          "early_stopping": { "rule": "median" }
        }
        """;

    private const string Grid = """
        { "name": "grid", "seeds": 2,
          "training": { "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 3 },
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.001, 0.01, 0.1] } } } }
        """;

    private const string Decades = """
        { "name": "decades", "training": { "dataset": "iris", "layers": [8], "optimizer": "sgd", "epochs": 3 },
          "search": { "strategy": "lr-decades", "space": { "learning_rate": { "log_uniform": [0.0001, 10] }, "batch_size": { "values": [16] } } } }
        """;

    [Fact]
    public void Budget_concurrency_range_values_and_stopping_settings_change_and_each_change_is_listed_with_its_old_and_new_value()
    {
        var edited = SweepEdit.Apply(Random, """
            { "max_runs": 16, "concurrency": 4,
              "search": { "space": { "learning_rate": { "range": [0.0001, 0.1] }, "activation": { "add": ["elu"], "remove": ["tanh"] } } },
              "early_stopping": { "settings": { "warmup_epochs": 2 } } }
            """);

        var d = edited.Definition;
        Assert.Equal((16, 4, 16), (d.MaxRuns, d.Concurrency, d.Trials));
        Assert.Equal(new LogUniformDomain(0.0001, 0.1), d.Space.Find("learning_rate")!.Domain);
        Assert.Equal(["\"relu\"", "\"elu\""], ((ValuesDomain)d.Space.Find("activation")!.Domain).Values);
        Assert.Equal("2", d.RuleSettings["warmup_epochs"].GetRawText());
        Assert.Equal(
            [
                new SweepChange("search.space.learning_rate", """{"log_uniform":[0.00001,1]}""", """{"log_uniform":[0.0001,0.1]}"""),
                new SweepChange("search.space.activation", """{"values":["relu","tanh"]}""", """{"values":["relu","elu"]}"""),
                new SweepChange("early_stopping.settings.warmup_epochs", null, "2"),
                new SweepChange("concurrency", "2", "4"),
                new SweepChange("max_runs", null, "16"),
                // Raising the budget of a search that plans by its trial count raises the count with it.
                new SweepChange("search.trials", "10", "16"),
            ],
            edited.Changes);
        // The edited file is a sweep file like any other: it parses to the same sweep.
        Assert.Equal(d.MaxRuns, SweepDefinition.Parse(edited.Json).MaxRuns);
    }

    [Fact]
    public void An_integer_range_keeps_its_kind_and_a_grid_gains_points()
    {
        var ints = SweepEdit.Apply(Random, """{ "search": { "space": { "batch_size": { "range": [4, 64] } } } }""");
        Assert.Equal(new IntUniformDomain(4, 64), ints.Definition.Space.Find("batch_size")!.Domain);

        var grid = SweepEdit.Apply(Grid, """{ "search": { "space": { "learning_rate": { "add": [1, 0.0001] } } } }""");
        Assert.Equal(10, grid.Definition.MaxRuns); // 5 rates x 2 seeds
    }

    [Theory]
    [InlineData("""{ "max_runs": -3 }""", "max_runs: must be between 1 and")]
    [InlineData("""{ "search": { "trials": 0 } }""", "search.trials: must be between 1 and")]
    [InlineData("""{ "concurrency": 2.5 }""", "concurrency: must be a whole number")]
    [InlineData("""{ "search": { "space": { "activation": { "range": [0, 1] } } } }""", "search.space.activation.range: activation is a list of values, not a range")]
    [InlineData("""{ "search": { "space": { "batch_size": { "range": [4.5, 64] } } } }""", "search.space.batch_size.range: batch_size is an integer range (int)")]
    [InlineData("""{ "search": { "space": { "learning_rate": { "range": [0, 1] } } } }""", "search.space.learning_rate.log_uniform[0]: a log range starts above 0")]
    [InlineData("""{ "search": { "space": { "learning_rate": { "range": [0.1, 0.01] } } } }""", "search.space.learning_rate.log_uniform: low must be below high")]
    [InlineData("""{ "search": { "space": { "learning_rate": { "add": [0.5] } } } }""", "search.space.learning_rate.add: learning_rate is a range, not a list of values")]
    [InlineData("""{ "search": { "space": { "momentum": { "range": [0.5, 0.9] } } } }""", "search.space.momentum: unknown parameter; the sweep searches: learning_rate, batch_size, activation")]
    [InlineData("""{ "search": { "space": { "activation": { "remove": ["gelu"] } } } }""", "search.space.activation.remove[0]: \"gelu\" is not a listed value")]
    [InlineData("""{ "search": { "space": { "activation": { "remove": ["relu", "tanh"] } } } }""", "search.space.activation.remove: would leave activation with no values")]
    [InlineData("""{ "search": { "space": { "activation": { "add": ["relu"] } } } }""", "search.space.activation.add[0]: \"relu\" is listed already")]
    [InlineData("""{ "early_stopping": { "settings": { "patience": 3 } } }""", "early_stopping.settings.patience:")]
    [InlineData("""{ "early_stopping": { "rule": "asha" } }""", "early_stopping.rule: not something an edit changes")]
    [InlineData("""{ "name": "other" }""", "name: not something an edit changes")]
    [InlineData("""{ "time_budget": 30 }""", "time_budget: must be a duration with its unit")]
    [InlineData("""{ "time_budget": "30 minutes" }""", "time_budget: '30 minutes' is not a duration with its unit")]
    [InlineData("""{ "concurrency": 2 }""", "$: the edit changes nothing")]
    [InlineData("""[1]""", "$: an edit is an object")]
    public void A_bad_edit_names_the_path_and_the_reason(string edit, string error)
    {
        var e = Assert.Throws<SweepException>(() => SweepEdit.Apply(Random, edit));
        Assert.StartsWith(error, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grid_cannot_be_given_more_runs_than_its_points()
    {
        var e = Assert.Throws<SweepException>(() => SweepEdit.Apply(Grid, """{ "max_runs": 7 }"""));
        Assert.Equal("max_runs", e.Path);
        Assert.Contains("more runs than the search plans for this space (6)", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Lr_decades_refuses_a_change_to_its_rates_but_takes_other_changes()
    {
        var e = Assert.Throws<SweepException>(() => SweepEdit.Apply(Decades, """{ "search": { "space": { "learning_rate": { "range": [0.001, 1] } } } }"""));
        Assert.Equal("search.space.learning_rate", e.Path);
        Assert.Contains("cannot change while it runs", e.Reason, StringComparison.Ordinal);

        var edited = SweepEdit.Apply(Decades, """{ "concurrency": 3, "search": { "space": { "batch_size": { "add": [32] } } } }""");
        Assert.Equal(3, edited.Definition.Concurrency);
    }

    [Fact]
    public void A_stopping_setting_set_to_null_goes_back_to_the_rules_default()
    {
        var set = SweepEdit.Apply(Random, """{ "early_stopping": { "settings": { "warmup_epochs": 2 } } }""");
        var unset = SweepEdit.Apply(set.Json, """{ "early_stopping": { "settings": { "warmup_epochs": null } } }""");
        Assert.False(unset.Definition.RuleSettings.ContainsKey("warmup_epochs"));
        Assert.Equal([new SweepChange("early_stopping.settings.warmup_epochs", "2", null)], unset.Changes);
    }

    [Fact]
    public void A_time_budget_is_set_changed_and_removed()
    {
        var set = SweepEdit.Apply(Random, """{ "time_budget": "90m" }""");
        Assert.Equal(TimeSpan.FromMinutes(90), set.Definition.TimeBudget);
        Assert.Equal([new SweepChange("time_budget", null, "\"90m\"")], set.Changes);
        var longer = SweepEdit.Apply(set.Json, """{ "time_budget": "2h" }""");
        Assert.Equal(TimeSpan.FromHours(2), longer.Definition.TimeBudget);
        var removed = SweepEdit.Apply(longer.Json, """{ "time_budget": null }""");
        Assert.Null(removed.Definition.TimeBudget);
        Assert.Equal([new SweepChange("time_budget", "\"2h\"", null)], removed.Changes);
    }
}
