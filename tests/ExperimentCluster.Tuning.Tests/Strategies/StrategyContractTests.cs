using System.Text.RegularExpressions;

namespace ExperimentCluster.Tuning.Tests;

/// <summary>What every search strategy promises. The cases come from the catalog's names: a new strategy is one line in
/// <see cref="Cases"/>, and a strategy without one fails every test here.</summary>
public sealed partial class StrategyContractTests
{
    public static TheoryData<string> Strategies => new(StrategyCatalog.Names);

    private static readonly Dictionary<string, StrategyCase> Cases = new()
    {
        ["grid"] = new("grid", "{}", Spaces.Grid, 100),
        ["random"] = new("random", "{}", Spaces.Mixed, 40),
        ["tpe"] = new("tpe", """{"n_startup": 5}""", Spaces.Mixed, 30),
        ["lr-decades"] = new("lr-decades", "{}", Spaces.Decades, 40),
        ["lr-range"] = new("lr-range", "{}", Spaces.Mixed, 30),
        ["gp"] = new("gp", """{"n_startup": 5}""", Spaces.Mixed, 20),
    };

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_strategy_plans_its_trials_or_asks_for_a_count_by_its_path(string name)
    {
        var c = Cases[name];
        var strategy = c.Create();

        Assert.InRange(strategy.PlannedTrials(c.Space, 17), 1, 17.0 * 1e6);
        try
        {
            var own = strategy.PlannedTrials(c.Space, null);
            Assert.True(own >= 1 && double.IsFinite(own), $"{name} plans {own} trials");
        }
        catch (TuningException e)
        {
            Assert.Equal("search.trials", e.Field);
        }

        // The measurements a strategy asks for come with a kind and a configuration inside the space.
        var simulator = c.Simulator(seed: 2);
        simulator.Run();
        Assert.All(simulator.Measurements, m => Assert.True(m.Kind.Length > 0 && c.Space.Contains(m.Config)));
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void The_same_seed_and_history_give_the_same_suggestions(string name)
    {
        var first = Cases[name].Simulator(seed: 7).Run();
        var second = Cases[name].Simulator(seed: 7).Run();

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Suggestions_stay_inside_the_space(string name)
    {
        var c = Cases[name];
        var simulator = c.Simulator(seed: 3);
        simulator.Run();

        foreach (var trial in simulator.History)
        {
            Assert.True(c.Space.Contains(trial.Config), $"{TrialConfig.From(trial.Config)} is outside the space");
            foreach (var parameter in c.Space.Parameters.Where(p => p.Domain is IntUniformDomain))
            {
                Assert.Matches(Integer(), trial.Config[parameter.Name]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_shorter_request_is_a_prefix_of_a_longer_one(string name)
    {
        var c = Cases[name];
        var simulator = c.Simulator(seed: 5);
        simulator.Run();
        var strategy = c.Create();
        foreach (var cut in new[] { 0, 3, 8, 15 })
        {
            var context = simulator.Context() with { History = simulator.History.Take(cut).ToArray() };
            var longer = strategy.Suggest(context, 6).Select(Key).ToArray();
            var shorter = strategy.Suggest(context, 2).Select(Key).ToArray();
            Assert.Equal(longer.Take(shorter.Length), shorter);
            Assert.True(shorter.Length == Math.Min(2, longer.Length), $"asked for 2 of {longer.Length} available, got {shorter.Length}");
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_finite_space_is_never_given_the_same_point_twice(string name)
    {
        var simulator = new SweepSimulator(name, Cases[name].Settings, Spaces.Grid, 11, maxTrials: 100, concurrency: 3);

        var suggested = simulator.Run();

        Assert.NotEmpty(suggested);
        Assert.Equal(suggested.Count, suggested.Distinct().Count());
        Assert.True(suggested.Count <= 12);
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_history_that_grows_in_place_gives_the_suggestions_of_a_fresh_copy_of_it(string name)
    {
        // The points a finite space's trials took are cached per history list (TakenPoints): a list that grows, as a
        // sweep's does, must be read as a new list would be.
        var simulator = new SweepSimulator(name, Cases[name].Settings, Spaces.Grid, 13, maxTrials: 100, concurrency: 3);
        simulator.Run();
        var strategy = Cases[name].Create();
        var grown = new List<Trial>();
        foreach (var trial in simulator.History.Append(null))
        {
            var inPlace = simulator.Context() with { History = grown };
            var copy = simulator.Context() with { History = grown.ToArray() };
            var suggested = strategy.Suggest(inPlace, 3).Select(Key).ToList();
            Assert.Equal(strategy.Suggest(copy, 3).Select(Key), suggested);
            // And neither proposes a point the history holds (the cache is not checked against itself only).
            Assert.Empty(suggested.Intersect(grown.Select(t => Key(t.Config))));
            Assert.Equal(strategy.IsFinished(copy), strategy.IsFinished(inPlace));
            if (trial is not null)
                grown.Add(trial);
        }

        Assert.True(grown.Count >= 3, $"only {grown.Count} trials");
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Resuming_from_a_stored_history_continues_exactly_as_without_the_interruption(string name)
    {
        var uninterrupted = Cases[name].Simulator(seed: 9).Run();

        foreach (var restart in new[] { 1, 4, 9, 17 })
        {
            var resumed = Cases[name].Simulator(seed: 9).Run(restartAfterEvents: restart);
            Assert.Equal(uninterrupted, resumed);
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void The_trial_budget_is_never_exceeded(string name)
    {
        var c = Cases[name] with { MaxTrials = 4 };
        var simulator = c.Simulator(seed: 1);

        simulator.Run();

        Assert.InRange(simulator.History.Count, 1, 4);
        Assert.True(c.Create().IsFinished(simulator.Context()));
        Assert.Empty(c.Create().Suggest(simulator.Context(), 3));
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Asking_for_nothing_gives_nothing_and_every_state_can_be_explained(string name)
    {
        var c = Cases[name];
        var simulator = c.Simulator(seed: 2);
        simulator.Run();
        var strategy = c.Create();

        for (var cut = 0; cut <= simulator.History.Count; cut += 5)
        {
            var context = simulator.Context() with { History = simulator.History.Take(cut).ToArray() };
            Assert.Empty(strategy.Suggest(context, 0));
            Assert.False(string.IsNullOrWhiteSpace(strategy.Explain(context)));
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Different_seeds_or_histories_do_not_break_determinism_of_a_single_call(string name)
    {
        var c = Cases[name];
        var simulator = c.Simulator(seed: 4);
        simulator.Run();
        var context = simulator.Context() with { History = simulator.History.Take(6).ToArray() };

        var once = c.Create().Suggest(context, 3).Select(Key);
        var again = c.Create().Suggest(context with { History = context.History.ToList() }, 3).Select(Key);

        Assert.Equal(once, again);
    }

    private static string Key(IReadOnlyDictionary<string, string> config) => TrialConfig.From(config).Key;

    [GeneratedRegex("^-?[0-9]+$")]
    private static partial Regex Integer();

    private sealed record StrategyCase(string Name, string Settings, SearchSpace Space, int MaxTrials)
    {
        public SweepSimulator Simulator(ulong seed) => new(Name, Settings, Space, seed, MaxTrials, concurrency: 3);

        public ISearchStrategy Create() => StrategyCatalog.Create(Name, Spaces.Settings(Settings));
    }
}
