using System.Diagnostics;
using Xunit.Abstractions;

namespace ExperimentCluster.Tuning.Tests;

public sealed class GpSearchTests(ITestOutputHelper output)
{
    /// <summary>A valley in log learning rate (optimum 10^-2.5) and a second, weaker real parameter: the shape the bench's
    /// losses have along the learning rate.</summary>
    private static readonly SearchSpace Valley = new(
    [
        new Parameter("learning_rate", new LogUniformDomain(1e-5, 1)),
        new Parameter("momentum", new UniformDomain(0, 1)),
    ]);

    private static double? ValleyLoss(IReadOnlyDictionary<string, string> c) =>
        0.02 + Math.Pow(Math.Log10(Spaces.Number(c, "learning_rate")) + 2.5, 2) + (0.3 * Math.Pow(Spaces.Number(c, "momentum") - 0.7, 2));

    /// <summary>The first trial whose loss is within <paramref name="tolerance"/> of the optimum; null when none is.</summary>
    private static int? TrialsToReach(string strategy, ulong seed, double tolerance, int trials = 40)
    {
        var simulator = new SweepSimulator(strategy, "{}", Valley, seed, maxTrials: trials, concurrency: 1) { Objective = ValleyLoss };
        simulator.Run();
        var hit = simulator.History.FirstOrDefault(t => t.FinalValue - 0.02 < tolerance);
        return hit is null ? null : hit.Number + 1;
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    public void It_finds_the_optimum_of_a_valley_in_log_learning_rate_in_fewer_trials_than_random(ulong seed)
    {
        var gp = TrialsToReach("gp", seed, 0.01);
        var random = TrialsToReach("random", seed, 0.01);
        output.WriteLine($"trials to within 0.01 of the optimum: gp {gp?.ToString() ?? "never"}, random {random?.ToString() ?? "never"} (of 40)");

        Assert.NotNull(gp);
        Assert.True(random is null || gp < random, $"gp {gp} vs random {random}");
        Assert.True(gp <= 25, $"gp needed {gp} trials");
    }

    [Fact]
    public void With_a_random_startup_the_startup_trials_are_the_random_search_sequence()
    {
        var gp = new SweepSimulator("gp", """{"startup": "random"}""", Valley, 5, maxTrials: 10, concurrency: 1) { Objective = ValleyLoss }.Run();
        var random = new SweepSimulator("random", "{}", Valley, 5, maxTrials: 10, concurrency: 1) { Objective = ValleyLoss }.Run();

        Assert.Equal(random, gp);
    }

    [Fact]
    public void Trials_suggested_while_others_run_do_not_repeat_or_crowd_each_other()
    {
        var simulator = new SweepSimulator("gp", """{"n_startup": 6}""", Valley, 1, maxTrials: 12, concurrency: 1) { Objective = ValleyLoss };
        simulator.Run();
        var context = simulator.Context() with { MaxTrials = 100 };

        var batch = new GpSearch(startupTrials: 6).Suggest(context, 6);
        var logRates = batch.Select(c => Math.Log10(Spaces.Number(c, "learning_rate"))).ToArray();
        var momenta = batch.Select(c => Spaces.Number(c, "momentum")).ToArray();
        output.WriteLine(string.Join("; ", batch.Select(c => TrialConfig.From(c).Key)));

        for (var i = 0; i < batch.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var distance = Math.Sqrt(Math.Pow((logRates[i] - logRates[j]) / 5, 2) + Math.Pow(momenta[i] - momenta[j], 2));
                Assert.True(distance > 0.01, $"suggestions {j} and {i} are {distance} apart");
            }
        }
    }

    [Fact]
    public void With_the_optimum_at_a_ranges_end_no_configuration_is_proposed_twice()
    {
        // The loss falls all the way to the top of the learning rate's range: the acquisition's best is clamped to the
        // end, and a repeat would train the sweep's seeds to the numbers it already has.
        var space = new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-3, 1)), new Parameter("batch_size", new ValuesDomain(["16", "32"]))]);
        var simulator = new SweepSimulator("gp", "{}", space, 0, maxTrials: 24, concurrency: 1)
        {
            Objective = c => 1 - (0.3 * Math.Log10(Spaces.Number(c, "learning_rate"))) + (Spaces.Number(c, "batch_size") / 1000),
        };

        simulator.Run();
        var repeated = simulator.History.GroupBy(t => TrialConfig.From(t.Config).Key).Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}").ToList();

        Assert.Equal(24, simulator.History.Count);
        Assert.True(repeated.Count == 0, string.Join("; ", repeated));
        Assert.Contains(simulator.History, t => Spaces.Number(t.Config, "learning_rate") > 0.9);
    }

    [Fact]
    public void A_diverged_trial_counts_as_the_worst_value_and_its_region_is_avoided()
    {
        // Rates above 0.1 diverge (no value at all); the optimum sits just below them.
        static double? Loss(IReadOnlyDictionary<string, string> c)
        {
            var lr = Spaces.Number(c, "learning_rate");
            return lr > 0.1 ? null : 0.02 + Math.Pow(Math.Log10(lr) + 1.5, 2) + (0.3 * Math.Pow(Spaces.Number(c, "momentum") - 0.7, 2));
        }

        var simulator = new SweepSimulator("gp", "{}", Valley, 2, maxTrials: 35, concurrency: 1) { Objective = Loss };
        simulator.Run();
        var late = simulator.History.Skip(20).ToArray();

        Assert.Contains(simulator.History.Take(10), t => t.State == TrialState.Diverged);
        Assert.True(late.Count(t => t.State == TrialState.Diverged) <= 3, $"{late.Count(t => t.State == TrialState.Diverged)} of 15 late trials diverged");
        Assert.True(simulator.History.Where(t => t.State == TrialState.Completed).Min(t => t.FinalValue) < 0.1);
    }

    [Fact]
    public void Lists_and_integers_are_searched_and_suggested_as_values_of_their_domain()
    {
        double? Loss(IReadOnlyDictionary<string, string> c) =>
            (c["activation"] == "\"tanh\"" ? 0 : 0.5) + Math.Pow(Math.Log2(Spaces.Number(c, "batch_size")) - 6, 2) / 4 + Math.Abs(Spaces.Number(c, "hidden_layers") - 2);
        var simulator = new SweepSimulator("gp", "{}", Spaces.Mixed, 4, maxTrials: 30, concurrency: 1) { Objective = Loss };

        simulator.Run();
        var best = simulator.History.MinBy(t => t.FinalValue)!;

        Assert.Equal("\"tanh\"", best.Config["activation"]);
        Assert.Equal("2", best.Config["hidden_layers"]);
        Assert.InRange(Spaces.Number(best.Config, "batch_size"), 45, 90);
    }

    [Theory]
    [InlineData("""{"n_startup": 0}""", "gp.n_startup", "must be at least 1, got 0")]
    [InlineData("""{"n_candidates": "many"}""", "gp.n_candidates", "must be a whole number, got \"many\"")]
    [InlineData("""{"n_local_search": 0}""", "gp.n_local_search", "must be between 1 and 100, got 0")]
    [InlineData("""{"objective": "sqrt"}""", "gp.objective", "must be one of log, raw, got 'sqrt'")]
    [InlineData("""{"startup": "sobol"}""", "gp.startup", "must be one of latin, random, got 'sobol'")]
    [InlineData("""{"numeric_lists": "one-hot"}""", "gp.numeric_lists", "must be one of ordered, categorical, got 'one-hot'")]
    [InlineData("""{"max_results": 10}""", "gp.max_results", "must be between 20 and 5000, got 10")]
    [InlineData("""{"kernel": "rbf"}""", "gp.kernel", "unknown setting for gp; known settings: max_results, n_candidates, n_local_search, n_startup, numeric_lists, objective, startup")]
    public void A_bad_setting_is_rejected_naming_the_field(string settings, string field, string reason)
    {
        var error = Assert.Throws<TuningException>(() => StrategyCatalog.Create("gp", Spaces.Settings(settings)));

        Assert.Equal(field, error.Field);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Settings_reach_the_strategy()
    {
        var gp = (GpSearch)StrategyCatalog.Create("gp", Spaces.Settings("""{"n_startup": 4, "n_candidates": 64, "n_local_search": 2, "objective": "raw", "startup": "random", "numeric_lists": "categorical", "max_results": 40}"""));
        var defaults = (GpSearch)StrategyCatalog.Create("gp", Spaces.Settings("{}"));

        Assert.Equal((4, 64, 2, false, false, false, 40), (gp.StartupTrials, gp.Candidates, gp.LocalSearches, gp.LogObjective, gp.LatinStartup, gp.OrderedLists, gp.MaxResults));
        Assert.True(defaults.LatinStartup && defaults.OrderedLists);
        Assert.Equal(300, defaults.MaxResults);
    }

    [Fact]
    public void Past_max_results_the_process_is_fitted_to_the_best_half_and_the_newest_and_says_so()
    {
        // Sixty results in random order of value, two of them diverged; at most 20 kept.
        var encoding = new GpEncoding(Valley);
        var rng = new Random(7);
        var history = Enumerable.Range(0, 60).Select(n =>
        {
            var config = new Dictionary<string, string> { ["learning_rate"] = "0.01", ["momentum"] = (n / 60.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture) };
            var value = n is 5 or 58 ? double.NaN : rng.NextDouble();
            return new Trial(n, config, double.IsNaN(value) ? TrialState.Diverged : TrialState.Completed, [new RungValue(1, value, n)], value, double.IsNaN(value) ? 1 : null);
        }).ToList();

        var kept = GpObservations.From(encoding, history, logScale: false, maxResults: 20);

        var best = history.Where(t => t.State == TrialState.Completed).OrderBy(t => t.FinalValue).Take(10).Select(t => t.Number);
        var newest = history.Select(t => t.Number).Except(best).OrderDescending().Take(10);
        Assert.Equal(best.Concat(newest).Order(), kept.Numbers);
        Assert.Equal(40, kept.Omitted);
        Assert.Equal(60, GpObservations.From(encoding, history, logScale: false).Numbers.Count);

        var explanation = new GpSearch(maxResults: 20).Explain(new SearchContext(Valley, 1, history, 100, 1));
        Assert.Contains("60 with a result", explanation, StringComparison.Ordinal);
        Assert.Contains("The process is fitted to 20 of the results (max_results): the best 10 and the newest", explanation, StringComparison.Ordinal);
        Assert.Single(new GpSearch(maxResults: 20).Suggest(new SearchContext(Valley, 1, history, 100, 1), 1));
    }

    [Fact]
    public void A_suggestion_after_sixty_trials_is_quick_enough_to_report()
    {
        var simulator = new SweepSimulator("gp", "{}", Spaces.Mixed, 6, maxTrials: 60, concurrency: 1);
        simulator.Run();
        var context = simulator.Context() with { MaxTrials = 61 };

        var clock = Stopwatch.StartNew();
        var next = new GpSearch().Suggest(context, 1);
        output.WriteLine($"one suggestion after 60 trials on a 6-parameter space: {clock.ElapsedMilliseconds} ms (reported, not asserted)");

        Assert.Single(next);
        Assert.True(Spaces.Mixed.Contains(next[0]));
    }
}
