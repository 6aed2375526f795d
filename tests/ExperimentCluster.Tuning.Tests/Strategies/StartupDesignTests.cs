namespace ExperimentCluster.Tuning.Tests;

/// <summary>The start-up design of the model-based strategies (<see cref="StartupDesign"/>), through TPE and GP as a sweep
/// asks them.</summary>
public sealed class StartupDesignTests
{
    public static TheoryData<string, ulong> Strategies => new()
    {
        { "tpe", 1 }, { "tpe", 2 }, { "tpe", 3 }, { "gp", 1 }, { "gp", 2 }, { "gp", 3 },
    };

    private static IReadOnlyList<IReadOnlyDictionary<string, string>> FirstTrials(string strategy, string settings, ulong seed, int count) =>
        StrategyCatalog.Create(strategy, Spaces.Settings(settings)).Suggest(new SearchContext(Spaces.Mixed, seed, [], 60, count), count);

    private static string[] Keys(IEnumerable<IReadOnlyDictionary<string, string>> trials) => trials.Select(c => TrialConfig.From(c).Key).ToArray();

    /// <summary>Which of <paramref name="strata"/> equal slices of [low, high] holds x.</summary>
    private static int Stratum(double x, double low, double high, int strata) =>
        Math.Min(strata - 1, (int)Math.Floor((x - low) / (high - low) * strata));

    [Theory]
    [MemberData(nameof(Strategies))]
    public void The_ten_start_up_trials_hold_one_value_in_each_tenth_of_every_range_and_share_each_list_evenly(string strategy, ulong seed)
    {
        var trials = FirstTrials(strategy, "{}", seed, 10);

        // Ten independent draws land in ten different tenths with probability 10!/10^10 (0.04 %).
        var rates = trials.Select(c => Stratum(Math.Log(Spaces.Number(c, "learning_rate")), Math.Log(1e-4), 0, 10)).ToArray();
        var dropouts = trials.Select(c => Stratum(Spaces.Number(c, "dropout"), 0, 0.5, 10)).ToArray();
        Assert.Equal(Enumerable.Range(0, 10), rates.Order());
        Assert.Equal(Enumerable.Range(0, 10), dropouts.Order());
        // Two values split the ten strata five and five; four values two or three each.
        Assert.All(trials.CountBy(c => c["activation"]), group => Assert.Equal(5, group.Value));
        Assert.Equal(4, trials.Select(c => c["neurons"]).Distinct().Count());
        Assert.All(trials.CountBy(c => c["neurons"]), group => Assert.InRange(group.Value, 2, 3));
        // The integers stay in their range.
        Assert.All(trials, c => Assert.InRange(Spaces.Number(c, "hidden_layers"), 1, 3));
        Assert.All(trials, c => Assert.InRange(Spaces.Number(c, "batch_size"), 16, 128));
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Start_up_trials_past_n_startup_and_a_random_start_up_are_the_random_search_sequence(string strategy, ulong seed)
    {
        var random = FirstTrials("random", "{}", seed, 12);
        var latin = FirstTrials(strategy, "{}", seed, 12);
        var independent = FirstTrials(strategy, """{"startup": "random"}""", seed, 12);

        // Twelve trials started before any has a result: the design has ten points, the other two are independent draws.
        Assert.Equal(Keys(random.Skip(10)), Keys(latin.Skip(10)));
        Assert.NotEqual(Keys(random.Take(10)), Keys(latin.Take(10)));
        Assert.Equal(Keys(random), Keys(independent));
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void With_trials_running_the_start_up_ends_once_n_startup_have_a_result_or_are_running_and_one_has_a_result(string strategy, ulong seed)
    {
        var search = StrategyCatalog.Create(strategy, Spaces.Settings("{}"));
        var design = FirstTrials(strategy, "{}", seed, 10);
        var random = Keys(FirstTrials("random", "{}", seed, 12));
        Trial Running(int number) => new(number, design[number], TrialState.Running, [new RungValue(3, 0.5, number)], null, null);
        Trial Done(int number) => new(number, design[number], TrialState.Completed, [new RungValue(27, 0.05, number)], 0.05, null);
        SearchContext With(params Trial[] history) => new(Spaces.Mixed, seed, history, 60, 27);
        string Next(SearchContext context) => Keys(search.Suggest(context, 1))[0];

        // Ten running, none with a result: nothing to model, so trial 10 is still a start-up trial (an independent draw).
        var noResult = With([.. Enumerable.Range(0, 10).Select(Running)]);
        Assert.Equal(random[10], Next(noResult));
        Assert.Contains("Sampling", search.Explain(noResult), StringComparison.Ordinal);

        // One result and nine running: ten have a result or are running, so trial 10 is modelled.
        var oneResult = With([Done(0), .. Enumerable.Range(1, 9).Select(Running)]);
        Assert.NotEqual(random[10], Next(oneResult));
        Assert.DoesNotContain("Sampling", search.Explain(oneResult), StringComparison.Ordinal);

        // One result and seven running: trials 8 and 9 are the design's last two points, and a request for three gives
        // what three requests for one give, each answer started in between: the third is modelled.
        var sevenRunning = With([Done(0), .. Enumerable.Range(1, 7).Select(Running)]);
        var three = Keys(search.Suggest(sevenRunning, 3));
        Assert.Equal(Keys(design.Skip(8)), three.Take(2));
        var oneByOne = new List<string>();
        var history = sevenRunning.History.ToList();
        for (var number = 8; number < 11; number++)
        {
            var config = search.Suggest(sevenRunning with { History = history }, 1)[0];
            oneByOne.Add(TrialConfig.From(config).Key);
            history.Add(new Trial(number, config, TrialState.Running, [], null, null));
        }

        Assert.Equal(three, oneByOne);
        Assert.NotEqual(random[10], three[2]);

        // TPE without the liar leaves running trials out of its model, so they do not end its start-up.
        if (strategy == "tpe")
        {
            var noLiar = StrategyCatalog.Create("tpe", Spaces.Settings("""{"constant_liar": false}"""));
            Assert.Equal(random[10], Keys(noLiar.Suggest(oneResult, 1))[0]);
            Assert.Contains("Sampling", noLiar.Explain(oneResult), StringComparison.Ordinal);
        }

        // One trial at a time (concurrency 1): one result and nothing running leaves the start-up running.
        var alone = With(Done(0));
        Assert.Equal(Keys(design)[1], Next(alone));
        Assert.Contains("until 10 trials have a result", search.Explain(alone), StringComparison.Ordinal);
    }

    [Fact]
    public void The_design_is_a_function_of_the_seed_and_the_trial_number()
    {
        var once = FirstTrials("tpe", "{}", 4, 10);
        var again = FirstTrials("tpe", "{}", 4, 10);
        var prefix = FirstTrials("tpe", "{}", 4, 6);
        var otherSeed = FirstTrials("tpe", "{}", 5, 10);

        Assert.Equal(Keys(once), Keys(again));
        Assert.Equal(Keys(once.Take(6)), Keys(prefix));
        Assert.NotEqual(Keys(once), Keys(otherSeed));
    }
}
