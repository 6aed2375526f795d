using Xunit.Abstractions;
using System.Globalization;

namespace ExperimentCluster.Tuning.Tests;

public sealed class LrDecadesSearchTests(ITestOutputHelper output)
{
    /// <summary>Loss vs learning rate: a valley at 10^-1.3, slower learning below it, divergence above 1.</summary>
    private static double? Valley(IReadOnlyDictionary<string, string> config)
    {
        var lr = Spaces.Number(config, "learning_rate");
        if (lr > 1)
        {
            return null;
        }

        var distance = Math.Log10(lr) + 1.3;
        return 0.05 + (0.1 * distance * distance);
    }

    private static SearchSpace RateOnly(Domain domain) => new([new Parameter("learning_rate", domain)]);

    [Fact]
    public void It_finds_the_valley_of_a_loss_curve_that_diverges_above_one_within_twelve_trials()
    {
        var simulator = new SweepSimulator("lr-decades", "{}", RateOnly(new LogUniformDomain(1e-6, 100)), 1, maxTrials: 50, concurrency: 5) { Objective = Valley };

        simulator.Run();
        var best = simulator.History.Where(t => t.State == TrialState.Completed).MinBy(t => t.FinalValue)!;
        output.WriteLine(new LrDecadesSearch().Explain(simulator.Context()));

        Assert.InRange(simulator.History.Count, 5, 12);
        Assert.InRange(Math.Log10(Spaces.Number(best.Config, "learning_rate")), -1.3 - 0.125, -1.3 + 0.125);
    }

    [Fact]
    public void The_sweeps_replicate_seeds_of_a_rate_count_as_their_mean_once_all_have_finished()
    {
        // The sweep's seeds: 3 gives each suggested rate three runs with the same configuration. The first seed favours
        // 0.01 (refine around it); the means favour 0.1, the highest rate, which did not diverge (extend up to 1).
        var space = RateOnly(new LogUniformDomain(1e-6, 100));
        var finals = new Dictionary<string, double[]>
        {
            ["0.01"] = [0.1, 0.9, 0.9],
            ["0.001"] = [0.5, 0.5, 0.5],
            ["0.1"] = [0.2, 0.2, 0.2],
        };
        var history = finals.SelectMany(kv => kv.Value.Select(v => (Rate: kv.Key, Final: v)))
            .Select((r, i) => new Trial(i, new Dictionary<string, string> { ["learning_rate"] = r.Rate }, TrialState.Completed, [], r.Final, null))
            .ToArray();
        var strategy = new LrDecadesSearch();
        var oneRunning = history.Select(t => t.Number == 8 ? t with { State = TrialState.Running, FinalValue = null } : t).ToArray();

        Assert.Empty(strategy.Suggest(new SearchContext(space, 1, oneRunning, 50, 10), 5));
        Assert.Equal(["1"], strategy.Suggest(new SearchContext(space, 1, history, 50, 10), 5).Select(c => c["learning_rate"]));
        Assert.StartsWith("Best so far: learning_rate = 0.1 (nearest decade 1e-1), mean final value 0.2 over 3 run(s).",
            strategy.Explain(new SearchContext(space, 1, history, 50, 10)), StringComparison.Ordinal);
        var negated = history.Select(t => t with { FinalValue = -t.FinalValue }).ToArray();
        Assert.StartsWith("Best so far: learning_rate = 0.01 (nearest decade 1e-2), mean final accuracy 0.6333 over 3 run(s). Lower rates that ended worse: 0.001 (0.5). Higher rates that ended worse: 0.1 (0.2).",
            new LrDecadesSearch().Explain(new SearchContext(space, 1, negated, 50, 10) { Objective = new Objective("accuracy", true) }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_rate_that_diverged_in_one_of_its_seeds_is_not_the_best()
    {
        var space = RateOnly(new LogUniformDomain(1e-6, 100));
        Trial Run(int number, string rate, double? final) => new(number, new Dictionary<string, string> { ["learning_rate"] = rate },
            final is null ? TrialState.Diverged : TrialState.Completed, [], final, final is null ? 2 : null);
        Trial[] history =
        [
            Run(0, "0.01", 0.3), Run(1, "0.01", 0.3),
            Run(2, "0.001", 0.6), Run(3, "0.001", 0.6),
            Run(4, "0.1", 0.05), Run(5, "0.1", null),
        ];

        var explanation = new LrDecadesSearch().Explain(new SearchContext(space, 1, history, 50, 10));

        Assert.StartsWith("Best so far: learning_rate = 0.01 ", explanation, StringComparison.Ordinal);
        Assert.Contains("Diverged: 0.1 (1 of 2 runs: 5)", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_best_rate_just_below_one_is_nearest_the_decade_1e0_not_1e_minus_0()
    {
        var space = RateOnly(new ValuesDomain(["0.001", "0.01", "0.1", "0.5"]));
        Trial[] history = [.. new[] { ("0.01", 0.5), ("0.001", 0.9), ("0.1", 0.3), ("0.5", 0.2) }
            .Select((r, i) => new Trial(i, new Dictionary<string, string> { ["learning_rate"] = r.Item1 }, TrialState.Completed, [], r.Item2, null))];

        Assert.Contains("learning_rate = 0.5 (nearest decade 1e0),", new LrDecadesSearch().Explain(new SearchContext(space, 1, history, 50, 10)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_survey_is_the_start_rate_and_a_decade_on_each_side()
    {
        var context = new SearchContext(RateOnly(new LogUniformDomain(1e-6, 100)), 1, [], 50, 10);

        var rates = new LrDecadesSearch().Suggest(context, 10).Select(c => c["learning_rate"]).ToArray();

        Assert.Equal(["0.01", "0.001", "0.1"], rates);
    }

    [Fact]
    public void The_wide_survey_adds_two_decades_on_each_side()
    {
        var context = new SearchContext(RateOnly(new LogUniformDomain(1e-6, 100)), 1, [], 50, 10);
        var strategy = StrategyCatalog.Create("lr-decades", Spaces.Settings("""{"survey_decades": 2}"""));

        var rates = strategy.Suggest(context, 10).Select(c => c["learning_rate"]).ToArray();

        Assert.Equal(["0.01", "0.001", "0.1", "0.0001", "1"], rates);
    }

    [Fact]
    public void It_waits_for_the_survey_before_deciding_where_to_go()
    {
        var strategy = new LrDecadesSearch();
        var space = RateOnly(new LogUniformDomain(1e-6, 100));
        var history = strategy.Suggest(new SearchContext(space, 1, [], 50, 10), 10)
            .Select((c, i) => new Trial(i, c, i == 1 ? TrialState.Running : TrialState.Completed, [], Valley(c), null))
            .ToArray();

        Assert.Empty(strategy.Suggest(new SearchContext(space, 1, history, 50, 10), 5));
        Assert.False(strategy.IsFinished(new SearchContext(space, 1, history, 50, 10)));
    }

    [Fact]
    public void When_the_lowest_rate_is_best_it_extends_down_a_decade_at_a_time_while_it_improves()
    {
        // Best at 10^-5.4: the survey's lowest (1e-3) wins, then 1e-4 and 1e-5 improve, 1e-6 does not.
        double? Low(IReadOnlyDictionary<string, string> c) => Math.Pow(Math.Log10(Spaces.Number(c, "learning_rate")) + 5.4, 2);
        var simulator = new SweepSimulator("lr-decades", """{"resolution": 0.5}""", RateOnly(new LogUniformDomain(1e-9, 1)), 1, 50, 1) { Objective = Low };

        var rates = simulator.Run().Select(k => k.Split(':')[1].TrimEnd('}')).ToArray();

        Assert.Equal(["0.01", "0.001", "0.1", "0.0001", "1E-05", "1E-06", "3.16227766017E-06", "3.16227766017E-05"], rates);
    }

    [Fact]
    public void Upward_extension_stops_at_the_first_rate_that_diverges()
    {
        // Loss keeps falling with the rate up to 50, but anything above 5 diverges.
        double? Fast(IReadOnlyDictionary<string, string> c) => Spaces.Number(c, "learning_rate") is var lr && lr > 5 ? null : 1 / lr;
        var simulator = new SweepSimulator("lr-decades", """{"resolution": 0.5}""", RateOnly(new LogUniformDomain(1e-6, 1000)), 1, 50, 1) { Objective = Fast };

        simulator.Run();
        var rates = simulator.History.Select(t => Spaces.Number(t.Config, "learning_rate")).ToArray();

        Assert.Contains(10, rates);
        Assert.DoesNotContain(100, rates);
        Assert.Equal(TrialState.Diverged, simulator.History.Single(t => Spaces.Number(t.Config, "learning_rate") == 10).State);
        Assert.Contains(simulator.History, t => Math.Abs(Math.Log10(Spaces.Number(t.Config, "learning_rate")) - 0.5) < 1e-6);
    }

    [Fact]
    public void On_the_lr_decades_example_with_three_seeds_it_settles_on_the_best_decade_within_twelve_runs()
    {
        // The example: rates 1e-4..10 as a list, three seeds; the synthetic loss is best near 0.1 and diverges above 1.
        var space = new SearchSpace(
        [
            new Parameter("learning_rate", new ValuesDomain(["0.0001", "0.001", "0.01", "0.1", "1", "10"])),
            new Parameter("seed", new ValuesDomain(["1", "2", "3"])),
        ]);
        double? Loss(IReadOnlyDictionary<string, string> c) =>
            Valley(c) is { } v ? v + (0.001 * Spaces.Number(c, "seed")) : null;
        var simulator = new SweepSimulator("lr-decades", "{}", space, 1, maxTrials: 100, concurrency: 4) { Objective = Loss };

        simulator.Run();
        var explanation = new LrDecadesSearch().Explain(simulator.Context());
        output.WriteLine(explanation);

        Assert.True(simulator.History.Count <= 12, $"{simulator.History.Count} runs");
        Assert.StartsWith("Settled on learning_rate = 0.1 ", explanation, StringComparison.Ordinal);
        Assert.All(simulator.History, t => Assert.True(space.Contains(t.Config)));
    }

    [Fact]
    public void When_the_best_listed_rate_is_one_ten_is_tried_marked_diverged_and_one_is_best_after_twelve_runs()
    {
        var space = new SearchSpace(
        [
            new Parameter("learning_rate", new ValuesDomain(["0.0001", "0.001", "0.01", "0.1", "1", "10"])),
            new Parameter("seed", new ValuesDomain(["1", "2", "3"])),
        ]);
        double? Loss(IReadOnlyDictionary<string, string> c) =>
            Spaces.Number(c, "learning_rate") is var lr && lr > 1 ? null : (0.1 / lr) + (0.001 * Spaces.Number(c, "seed"));
        var simulator = new SweepSimulator("lr-decades", "{}", space, 1, maxTrials: 100, concurrency: 3) { Objective = Loss };

        simulator.Run();
        var explanation = new LrDecadesSearch().Explain(simulator.Context());
        var firstTwelve = new LrDecadesSearch().Explain(simulator.Context() with { History = simulator.History.Take(12).ToArray() });
        output.WriteLine(explanation);

        Assert.Equal(15, simulator.History.Count);
        Assert.StartsWith("Settled on learning_rate = 1 ", explanation, StringComparison.Ordinal);
        Assert.StartsWith("Best so far: learning_rate = 1 ", firstTwelve, StringComparison.Ordinal);
        Assert.Contains("Diverged: 10 (3 of 3 runs: 12, 13, 14)", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_twelve_runs_of_the_listed_example_already_hold_the_best_decade()
    {
        var space = new SearchSpace([new Parameter("learning_rate", new ValuesDomain(["0.0001", "0.001", "0.01", "0.1", "1", "10"]))]);
        var simulator = new SweepSimulator("lr-decades", "{}", space, 1, maxTrials: 12, concurrency: 1) { Objective = Valley };

        simulator.Run();
        var explanation = new LrDecadesSearch().Explain(simulator.Context());

        Assert.True(simulator.History.Count <= 12);
        Assert.Contains("learning_rate = 0.1 ", explanation, StringComparison.Ordinal);
        Assert.True(new LrDecadesSearch().IsFinished(simulator.Context()));
    }

    [Fact]
    public void Each_rate_is_tried_with_every_combination_of_the_other_listed_values()
    {
        var strategy = new LrDecadesSearch();
        var context = new SearchContext(Spaces.Decades, 1, [], 50, 10);

        var first = strategy.Suggest(context, 4).Select(c => TrialConfig.From(c).Key).ToArray();

        Assert.Equal(
        [
            """{"activation":"relu","learning_rate":0.01}""",
            """{"activation":"tanh","learning_rate":0.01}""",
            """{"activation":"relu","learning_rate":0.001}""",
            """{"activation":"tanh","learning_rate":0.001}""",
        ], first);
    }

    [Fact]
    public void Combining_by_best_picks_the_rate_that_works_with_its_best_companion()
    {
        // relu wants 1e-3, tanh wants 1e-1 but is much better there; tanh diverges at 1e-2... no: relu diverges above 1e-3.
        double? Loss(IReadOnlyDictionary<string, string> c)
        {
            var lr = Math.Log10(Spaces.Number(c, "learning_rate"));
            return c["activation"] == "\"relu\""
                ? (lr > -2.5 ? null : 0.5 + Math.Abs(lr + 3))
                : 0.1 + (0.2 * Math.Abs(lr + 1));
        }

        var space = new SearchSpace(
        [
            new Parameter("learning_rate", new ValuesDomain(["0.0001", "0.001", "0.01", "0.1", "1"])),
            new Parameter("activation", new ValuesDomain(["\"relu\"", "\"tanh\""])),
        ]);
        var best = new SweepSimulator("lr-decades", """{"combine": "best"}""", space, 1, 100, 2) { Objective = Loss };
        var median = new SweepSimulator("lr-decades", """{"combine": "median"}""", space, 1, 100, 2) { Objective = Loss };
        best.Run();
        median.Run();

        Assert.StartsWith("Settled on learning_rate = 0.1 ", new LrDecadesSearch(combine: "best").Explain(best.Context()), StringComparison.Ordinal);
        Assert.StartsWith("Settled on learning_rate = 0.001 ", new LrDecadesSearch(combine: "median").Explain(median.Context()), StringComparison.Ordinal);
    }

    [Fact]
    public void The_explanation_names_the_settled_rate_the_diverged_runs_and_the_slow_ones()
    {
        double? Fast(IReadOnlyDictionary<string, string> c) => Spaces.Number(c, "learning_rate") is var lr && lr > 1 ? null : 0.1 / lr;
        var simulator = new SweepSimulator("lr-decades", "{}", RateOnly(new LogUniformDomain(1e-6, 100)), 1, 50, 5) { Objective = Fast };
        simulator.Run();

        var text = new LrDecadesSearch().Explain(simulator.Context());
        output.WriteLine(text);

        Assert.StartsWith("Settled on learning_rate = 1 (nearest decade 1e0)", text, StringComparison.Ordinal);
        Assert.Contains("Lower rates that ended worse: 0.001 (100), 0.01 (10), ", text, StringComparison.Ordinal);
        Assert.Contains("Diverged: 1.77827941004 (1 of 1 runs: ", text, StringComparison.Ordinal);
        Assert.Contains(", 10 (1 of 1 runs: ", text, StringComparison.Ordinal);
        Assert.EndsWith("(refined to 0.25 decade).", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_search_cut_short_by_the_budget_says_so_instead_of_claiming_to_have_settled()
    {
        var simulator = new SweepSimulator("lr-decades", "{}", RateOnly(new LogUniformDomain(1e-6, 100)), 1, 2, 2) { Objective = Valley };
        simulator.Run();

        var text = new LrDecadesSearch().Explain(simulator.Context());

        Assert.StartsWith("Best so far: learning_rate = 0.01 ", text, StringComparison.Ordinal);
        Assert.EndsWith("Stopped by the trial budget (2) while survey: the start rate and 1 decade(s) each side.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_space_without_the_rate_or_with_a_range_for_another_parameter_is_rejected_naming_it()
    {
        var noRate = new SearchSpace([new Parameter("momentum", new ValuesDomain(["0.9"]))]);
        var rangeElsewhere = new SearchSpace(
        [
            new Parameter("learning_rate", new LogUniformDomain(1e-4, 1)),
            new Parameter("dropout", new UniformDomain(0, 0.5)),
        ]);
        var negative = RateOnly(new ValuesDomain(["0.1", "-1"]));

        Assert.Equal("search.space.learning_rate", Assert.Throws<TuningException>(() => new LrDecadesSearch().Validate(noRate)).Field);
        Assert.Equal("search.space.dropout", Assert.Throws<TuningException>(() => new LrDecadesSearch().Suggest(new SearchContext(rangeElsewhere, 1, [], 5, 1), 1)).Field);
        Assert.Equal("search.space.learning_rate.values[1]", Assert.Throws<TuningException>(() => new LrDecadesSearch().Validate(negative)).Field);
        Assert.Equal("lr-decades.start", Assert.Throws<TuningException>(() => new LrDecadesSearch(start: 1e-9).Validate(RateOnly(new LogUniformDomain(1e-4, 1)))).Field);
    }

    [Fact]
    public void Another_parameter_name_can_be_searched()
    {
        var space = new SearchSpace([new Parameter("lr", new LogUniformDomain(1e-4, 1))]);
        var strategy = StrategyCatalog.Create("lr-decades", Spaces.Settings("""{"parameter": "lr", "start": 0.001}"""));

        var first = strategy.Suggest(new SearchContext(space, 1, [], 10, 1), 1).Single();

        Assert.Equal("0.001", first["lr"]);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{0.001}"), first["lr"]);
    }
}
