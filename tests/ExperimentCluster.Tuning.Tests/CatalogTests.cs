namespace ExperimentCluster.Tuning.Tests;

public sealed class CatalogTests
{
    [Fact]
    public void Every_listed_strategy_and_rule_name_creates_an_implementation()
    {
        Assert.All(StrategyCatalog.Names, name => Assert.NotNull(StrategyCatalog.Create(name, null)));
        Assert.All(StoppingRuleCatalog.Names, name => Assert.NotNull(StoppingRuleCatalog.Create(name, Spaces.Settings("{}"))));
    }

    [Fact]
    public void Implementations_are_named_algorithm_then_role()
    {
        Assert.IsType<GridSearch>(StrategyCatalog.Create("grid"));
        Assert.IsType<RandomSearch>(StrategyCatalog.Create("random"));
        Assert.IsType<TpeSearch>(StrategyCatalog.Create("tpe"));
        Assert.IsType<LrDecadesSearch>(StrategyCatalog.Create("lr-decades"));
        Assert.IsType<LrRangeSearch>(StrategyCatalog.Create("lr-range"));
        Assert.IsType<NoStoppingRule>(StoppingRuleCatalog.Create("none"));
        Assert.IsType<MedianStoppingRule>(StoppingRuleCatalog.Create("median"));
        Assert.IsType<AshaRule>(StoppingRuleCatalog.Create("asha"));
        Assert.IsType<HyperbandRule>(StoppingRuleCatalog.Create("hyperband"));
    }

    [Fact]
    public void An_unknown_strategy_is_rejected_with_the_known_ones_listed()
    {
        var error = Assert.Throws<TuningException>(() => StrategyCatalog.Create("bayes"));

        Assert.Equal("strategy", error.Field);
        Assert.Equal("strategy: unknown strategy 'bayes' (Bayesian optimisation is tpe here, Optuna's default sampler, or gp for small budgets); known strategies: grid, random, tpe, lr-decades, lr-range, gp", error.Message);
    }

    [Theory]
    [InlineData("hyperband", " (hyperband is a stopping rule here: early_stopping: { rule: hyperband } beside a strategy such as random or tpe)")]
    [InlineData("successive_halving", " (successive_halving is a stopping rule here: early_stopping: { rule: asha } beside a strategy such as random or tpe)")]
    [InlineData("random_search", " (did you mean 'random'?)")]
    [InlineData("tpee", " (did you mean 'tpe'?)")]
    public void Another_tools_name_for_a_method_says_what_it_is_here(string name, string hint)
    {
        var error = Assert.Throws<TuningException>(() => StrategyCatalog.Create(name));
        Assert.Equal($"strategy: unknown strategy '{name}'{hint}; known strategies: grid, random, tpe, lr-decades, lr-range, gp", error.Message);
    }

    [Fact]
    public void An_unknown_rule_is_rejected_with_the_known_ones_listed()
    {
        var error = Assert.Throws<TuningException>(() => StoppingRuleCatalog.Create("pbt"));

        Assert.Equal("early_stopping", error.Field);
        Assert.Contains("known rules: none, median, asha, hyperband", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tpe", """{"n_startup": 5, "gama": 0.2}""", "tpe.gama")]
    [InlineData("grid", """{"shuffle": true}""", "grid.shuffle")]
    [InlineData("random", """{"n_startup": 5}""", "random.n_startup")]
    [InlineData("lr-decades", """{"stat": 0.1}""", "lr-decades.stat")]
    [InlineData("lr-range", """{"factor": 2}""", "lr-range.factor")]
    public void An_unknown_strategy_setting_is_rejected_naming_it(string name, string settings, string field)
    {
        var error = Assert.Throws<TuningException>(() => StrategyCatalog.Create(name, Spaces.Settings(settings)));

        Assert.Equal(field, error.Field);
        Assert.Contains("unknown setting", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("asha", """{"reduction_factor": 3, "grace": 1}""", "asha.grace")]
    [InlineData("none", """{"min_epochs": 1}""", "none.min_epochs")]
    [InlineData("median", """{"warmup": 1}""", "median.warmup")]
    [InlineData("hyperband", """{"brackets": 2}""", "hyperband.brackets")]
    public void An_unknown_rule_setting_is_rejected_naming_it(string name, string settings, string field)
    {
        var error = Assert.Throws<TuningException>(() => StoppingRuleCatalog.Create(name, Spaces.Settings(settings)));

        Assert.Equal(field, error.Field);
    }

    [Theory]
    [InlineData("tpe", """{"gamma": 1.5}""", "tpe.gamma", "must be between 0 and 1, got 1.5")]
    [InlineData("tpe", """{"n_startup": "ten"}""", "tpe.n_startup", "must be a whole number, got \"ten\"")]
    [InlineData("tpe", """{"startup": "sobol"}""", "tpe.startup", "must be one of latin, random, got 'sobol'")]
    [InlineData("lr-decades", """{"combine": "mean"}""", "lr-decades.combine", "must be one of median, best, got 'mean'")]
    [InlineData("lr-decades", """{"start": -0.01}""", "lr-decades.start", "must be positive, got -0.01")]
    public void A_bad_strategy_setting_value_is_rejected_with_the_reason(string name, string settings, string field, string reason)
    {
        var error = Assert.Throws<TuningException>(() => StrategyCatalog.Create(name, Spaces.Settings(settings)));

        Assert.Equal(field, error.Field);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void A_bad_rule_setting_value_is_rejected_with_the_reason()
    {
        var error = Assert.Throws<TuningException>(() => StoppingRuleCatalog.Create("asha", Spaces.Settings("""{"reduction_factor": 1}""")));

        Assert.Equal("asha.reduction_factor", error.Field);
        Assert.Equal("must be at least 2, got 1", error.Reason);
    }

    [Fact]
    public void Settings_reach_the_implementation()
    {
        var tpe = (TpeSearch)StrategyCatalog.Create("tpe", Spaces.Settings("""{"n_startup": 4, "gamma": 0.25, "n_candidates": 8, "prior_weight": 2, "startup": "random"}"""));
        var lr = (LrDecadesSearch)StrategyCatalog.Create("lr-decades", Spaces.Settings("""{"start": 0.1, "resolution": 0.5, "combine": "best", "survey_decades": 2, "parameter": "lr"}"""));
        var asha = (AshaRule)StoppingRuleCatalog.Create("asha", Spaces.Settings("""{"min_epochs": 2, "reduction_factor": 4, "max_epochs": 32}"""));
        var median = (MedianStoppingRule)StoppingRuleCatalog.Create("median", Spaces.Settings("""{"warmup_epochs": 3, "min_trials": 4, "interval": 2}"""));

        Assert.Equal((4, 0.25, 8, 2.0, false), (tpe.StartupTrials, tpe.Gamma, tpe.Candidates, tpe.PriorWeight, tpe.LatinStartup));
        Assert.Equal(("lr", 0.1, 0.5, "best", 2), (lr.ParameterName, lr.Start, lr.Resolution, lr.Combine, lr.SurveyDecades));
        Assert.Equal((2, 4, (int?)32), (asha.MinEpochs, asha.ReductionFactor, asha.MaxEpochs));
        Assert.Equal((3, 4, 2), (median.WarmupEpochs, median.MinTrials, median.Interval));
    }
}
