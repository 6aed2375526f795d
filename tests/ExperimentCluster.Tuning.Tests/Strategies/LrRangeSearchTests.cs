namespace ExperimentCluster.Tuning.Tests;

public sealed class LrRangeSearchTests
{
    private static readonly SearchSpace Space = new(
    [
        new Parameter("learning_rate", new LogUniformDomain(1e-4, 1)),
        new Parameter("layers", new ValuesDomain(["[32]", "[64,64]"])),
        new Parameter("activation", new ValuesDomain(["\"relu\"", "\"tanh\""])),
        new Parameter("momentum", new UniformDomain(0, 0.9)),
    ]);

    [Fact]
    public void The_bounds_are_a_tenth_to_three_times_the_suggested_rate()
    {
        var range = new LrRangeSearch().RangeFrom(Space, 0.02);

        Assert.Equal(0.02, range.Suggested);
        Assert.Equal(0.002, range.Lower, 12);
        Assert.Equal(0.06, range.Upper, 12);
    }

    [Fact]
    public void Bounds_are_cut_to_the_domain_and_a_band_outside_it_keeps_its_width_at_the_nearer_end()
    {
        var search = new LrRangeSearch();

        var cut = search.RangeFrom(Space, 0.5);
        var above = search.RangeFrom(Space, 50);
        var below = search.RangeFrom(Space, 1e-7);

        Assert.Equal((0.05, 1.0), (Math.Round(cut.Lower, 12), cut.Upper));
        Assert.Equal((Math.Round(1.0 / 30, 12), 1.0), (Math.Round(above.Lower, 12), above.Upper));
        Assert.Equal((1e-4, 3e-3), (below.Lower, Math.Round(below.Upper, 12)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(double.PositiveInfinity)]
    public void A_range_test_without_a_usable_suggestion_leaves_the_whole_domain(double suggested)
    {
        var range = new LrRangeSearch().RangeFrom(Space, suggested);

        Assert.True(double.IsNaN(range.Suggested));
        Assert.Equal((1e-4, 1.0), (range.Lower, range.Upper));
    }

    [Fact]
    public void Settings_change_the_factors()
    {
        var search = (LrRangeSearch)StrategyCatalog.Create("lr-range", Spaces.Settings("""{"below": 4, "above": 2, "steps": 50}"""));

        var range = search.RangeFrom(Space, 0.04);

        Assert.Equal((0.01, 0.08), (Math.Round(range.Lower, 12), Math.Round(range.Upper, 12)));
        Assert.Equal(50, search.Steps);
    }

    [Fact]
    public void The_range_test_sweeps_the_learning_rate_domain_and_a_decade_above_it_unless_told_otherwise()
    {
        var custom = (LrRangeSearch)StrategyCatalog.Create("lr-range", Spaces.Settings("""{"min_rate": 1e-6, "max_rate": 10}"""));

        Assert.Equal((1e-4, 10.0), new LrRangeSearch().TestRange(Space));
        Assert.Equal((1e-6, 10.0), custom.TestRange(Space));
    }

    [Theory]
    [InlineData("""{"below": 1, "above": 1}""", "lr-range.above")]
    [InlineData("""{"below": 0.5}""", "lr-range.below")]
    [InlineData("""{"min_rate": 1, "max_rate": 0.1}""", "lr-range.max_rate")]
    [InlineData("""{"steps": 2}""", "lr-range.steps")]
    [InlineData("""{"factor": 2}""", "lr-range.factor")]
    public void Bad_settings_are_rejected_naming_the_setting(string settings, string field)
    {
        var error = Assert.Throws<TuningException>(() => StrategyCatalog.Create("lr-range", Spaces.Settings(settings)));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void A_space_without_a_positive_learning_rate_is_rejected()
    {
        var search = new LrRangeSearch();

        Assert.Equal("search.space.learning_rate", Assert.Throws<TuningException>(() => search.Validate(new SearchSpace([new Parameter("layers", new ValuesDomain(["[32]"]))]))).Field);
        Assert.Equal("search.space.learning_rate", Assert.Throws<TuningException>(() => search.Validate(new SearchSpace([new Parameter("learning_rate", new UniformDomain(0, 1))]))).Field);
    }

    [Fact]
    public void The_architecture_is_the_listed_values_other_than_the_learning_rate()
    {
        var search = new LrRangeSearch();
        var config = new Dictionary<string, string> { ["learning_rate"] = "0.1", ["layers"] = "[32]", ["activation"] = "\"relu\"", ["momentum"] = "0.5" };

        Assert.Equal("""{"activation":"relu","layers":[32]}""", search.ArchitectureKey(Space, config));
        Assert.Equal(search.ArchitectureKey(Space, config), search.ArchitectureKey(Space, new Dictionary<string, string>(config) { ["learning_rate"] = "0.9", ["momentum"] = "0" }));
    }

    [Fact]
    public void Nothing_is_suggested_before_the_range_test_of_its_architecture_is_stored()
    {
        var search = new LrRangeSearch();
        var context = new SearchContext(Space, 3, [], 20, 10);

        var pending = search.Measurements(context, 8);

        Assert.Empty(search.Suggest(context, 8));
        Assert.InRange(pending.Count, 1, 4);
        Assert.All(pending, p => Assert.Equal(LrRangeSearch.MeasurementKind, p.Kind));
        Assert.Equal(pending.Count, pending.Select(p => search.ArchitectureKey(Space, p.Config)).Distinct().Count());
        // A test that has started but not ended is not asked for again, and still holds its architecture's trials back.
        var running = new SearchContext(Space, 3, [], 20, 10) { Measurements = [.. pending.Select(p => new Measurement(p.Kind, p.Config, false, null))] };
        Assert.Empty(search.Measurements(running, 8));
        Assert.Empty(search.Suggest(running, 8));
    }

    [Fact]
    public void Each_architecture_is_tested_once_and_every_rate_lies_within_its_architectures_bounds()
    {
        var simulator = new SweepSimulator("lr-range", "{}", Space, 5, maxTrials: 40, concurrency: 4);

        simulator.Run();

        var search = new LrRangeSearch();
        var ranges = search.Ranges(simulator.Context());
        Assert.Equal(40, simulator.History.Count);
        Assert.Equal(4, simulator.RangeTests);
        Assert.Equal(4, ranges.Count);
        foreach (var trial in simulator.History)
        {
            var range = ranges[search.ArchitectureKey(Space, trial.Config)];
            Assert.InRange(Spaces.Number(trial.Config, "learning_rate"), range.Lower, range.Upper);
        }
    }

    [Fact]
    public void With_a_list_of_rates_it_draws_the_listed_rates_inside_the_bounds_or_else_the_nearest_one()
    {
        var space = new SearchSpace([new Parameter("learning_rate", new ValuesDomain(["0.0001", "0.001", "0.01", "0.1", "1"])), new Parameter("batch_size", new ValuesDomain(["16", "32"]))]);
        var search = new LrRangeSearch();
        // Suggested 0.02 gives bounds [0.002, 0.06]; 0.3 gives [0.03, 0.9].
        Measurement Tested(string batchSize, double suggested) =>
            new(LrRangeSearch.MeasurementKind, new Dictionary<string, string> { ["learning_rate"] = "0.01", ["batch_size"] = batchSize }, true, suggested);
        var context = new SearchContext(space, 1, [], 100, 10) { Measurements = [Tested("16", 0.02), Tested("32", 0.3)] };

        // Two trials: the only two points inside the bounds (a finite space never repeats a point, so a third would be outside).
        var rates = search.Suggest(context, 2).Select(c => (c["batch_size"], c["learning_rate"])).Order().ToList();

        Assert.Equal([("16", "0.01"), ("32", "0.1")], rates);
        // The explanation names each architecture as the answer names a configuration.
        var explanation = search.Explain(context);
        Assert.Contains("\n  batch_size=16: suggested 0.02, bounds [0.002, 0.06]", explanation, StringComparison.Ordinal);
        Assert.Contains("\n  batch_size=32: suggested 0.3, bounds [0.03, 0.9]", explanation, StringComparison.Ordinal);
        var alone = new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-4, 1))]);
        var one = new SearchContext(alone, 1, [], 10, 1) { Measurements = [new(LrRangeSearch.MeasurementKind, new Dictionary<string, string> { ["learning_rate"] = "0.01" }, true, 0.02)] };
        Assert.Contains("\n  every run: suggested 0.02, bounds [0.002, 0.06]", search.Explain(one), StringComparison.Ordinal);
    }
}
