using System.Globalization;

namespace ExperimentCluster.Tuning.Tests;

/// <summary>Strategies given trials of earlier sweeps (<see cref="SearchContext.Prior"/>): they build on them and do not
/// propose again what they measured, while this sweep's own numbering and budget stay as without them.</summary>
public sealed class WarmStartStrategyTests
{
    private static readonly SearchSpace Line = new([new Parameter("x", new UniformDomain(-5, 5))]);

    private static string Text(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Finished trials at <paramref name="xs"/>, numbered -n .. -1 as the sweep grain numbers reused trials.</summary>
    private static List<Trial> Prior(string name, params double[] xs) => xs
        .Select((x, i) => new Trial(i - xs.Length, new Dictionary<string, string> { [name] = Text(x) }, TrialState.Completed,
            [new RungValue(10, Math.Pow(x - 1.3, 2), i)], Math.Pow(x - 1.3, 2), null))
        .ToList();

    [Fact]
    public void Tpe_with_a_warm_start_of_n_startup_trials_models_from_its_first_trial_instead_of_drawing_at_random()
    {
        // Independent start-up draws, so that "not a start-up trial" reads "not the random sequence".
        var tpe = StrategyCatalog.Create("tpe", Spaces.Settings("""{"startup": "random"}"""));
        var prior = Prior("x", -4.5, -3.5, -2.5, -1.5, -0.5, 0.5, 1.2, 2.5, 3.5, 4.5);
        var cold = new SearchContext(Line, 7, [], 20, 10);
        var warm = cold with { Prior = prior };

        var random = StrategyCatalog.Create("random", new Dictionary<string, System.Text.Json.JsonElement>()).Suggest(cold, 5);
        var coldTpe = tpe.Suggest(cold, 5);
        var warmTpe = tpe.Suggest(warm, 5);

        // Cold, its start-up trials are the random sequence; warm, the ten reused trials are its start-up: none is random.
        Assert.Equal(random.Select(c => c["x"]), coldTpe.Select(c => c["x"]));
        Assert.All(warmTpe.Zip(random), pair => Assert.NotEqual(pair.Second["x"], pair.First["x"]));
        // Modelled on the good reused trial (x = 1.2, nearest the optimum 1.3): its first proposal lies there. The later
        // ones of the same call count the earlier as running (constant liar) and spread out; without the liar all five
        // come from the same l(x) and gather there.
        static bool Near(IReadOnlyDictionary<string, string> c) => Math.Abs(double.Parse(c["x"], CultureInfo.InvariantCulture) - 1.3) < 1;
        Assert.True(Near(warmTpe[0]), $"first proposal {warmTpe[0]["x"]} not within 1 of the optimum");
        var crowded = new TpeSearch(constantLiar: false).Suggest(warm, 5);
        var near = crowded.Count(Near);
        Assert.True(near >= 4, $"{near} of 5 proposals within 1 of the optimum: {string.Join(", ", crowded.Select(c => c["x"]))}");
        Assert.Contains("10 reused from earlier sweeps", tpe.Explain(warm), StringComparison.Ordinal);
        Assert.Contains("Modelling the best", tpe.Explain(warm), StringComparison.Ordinal);
    }

    [Fact]
    public void Tpe_with_fewer_reused_trials_than_its_start_up_still_counts_them_toward_it()
    {
        var tpe = new TpeSearch(startupTrials: 4);
        var context = new SearchContext(Line, 3, [], 20, 10) { Prior = Prior("x", -4, 0, 1.2) };
        Assert.Contains("until 4 trials have a result", tpe.Explain(context), StringComparison.Ordinal);
        var oneMore = context with
        {
            History = [new Trial(0, new Dictionary<string, string> { ["x"] = "2" }, TrialState.Completed, [], 0.5, null)],
        };
        Assert.Contains("Modelling the best", tpe.Explain(oneMore), StringComparison.Ordinal);
    }

    [Fact]
    public void A_grid_skips_the_points_a_warm_start_measured_and_finishes_without_them_within_its_own_budget()
    {
        var space = new SearchSpace([new Parameter("learning_rate", new ValuesDomain(["0.03162", "0.05623", "0.1", "0.1778", "0.3162"]))]);
        var grid = new GridSearch();
        var prior = Prior("learning_rate", 0.1);
        var context = new SearchContext(space, 0, [], 5, 20) { Prior = prior };

        var planned = grid.Suggest(context, 10).Select(c => c["learning_rate"]).ToList();
        Assert.Equal(["0.03162", "0.05623", "0.1778", "0.3162"], planned);
        var done = planned.Select((lr, i) => new Trial(i, new Dictionary<string, string> { ["learning_rate"] = lr }, TrialState.Completed, [], 0.1, null)).ToList();
        Assert.True(grid.IsFinished(context with { History = done }));
        Assert.Empty(grid.Suggest(context with { History = done }, 1));
    }

    [Fact]
    public void Lr_decades_does_not_retrain_a_rate_an_earlier_sweep_measured()
    {
        var space = new SearchSpace([new Parameter("learning_rate", new LogUniformDomain(1e-4, 10))]);
        var search = new LrDecadesSearch();
        // The survey (0.01, 0.001, 0.1) measured by an earlier sweep, 0.1 the best of them.
        var prior = new List<Trial>
        {
            new(-3, new Dictionary<string, string> { ["learning_rate"] = "0.01" }, TrialState.Completed, [], 0.5, null),
            new(-2, new Dictionary<string, string> { ["learning_rate"] = "0.001" }, TrialState.Completed, [], 0.9, null),
            new(-1, new Dictionary<string, string> { ["learning_rate"] = "0.1" }, TrialState.Completed, [], 0.2, null),
        };
        var cold = search.Suggest(new SearchContext(space, 0, [], 20, 10), 10).Select(c => c["learning_rate"]).ToList();
        var warm = search.Suggest(new SearchContext(space, 0, [], 20, 10) { Prior = prior }, 10).Select(c => c["learning_rate"]).ToList();

        Assert.Equal(["0.01", "0.001", "0.1"], cold);
        // Past the survey: the best was the highest, so it extends up a decade; nothing measured is proposed again.
        Assert.Equal(["1"], warm);
    }

    [Fact]
    public void Random_on_a_finite_space_does_not_draw_a_point_a_warm_start_measured()
    {
        var space = new SearchSpace([new Parameter("n", new ValuesDomain(["1", "2", "3"]))]);
        var random = new RandomSearch();
        var prior = Prior("n", 1, 3);
        var context = new SearchContext(space, 11, [], 3, 10) { Prior = prior };
        Assert.Equal(["2"], random.Suggest(context, 3).Select(c => c["n"]));
        var taken = context with { History = [new Trial(0, new Dictionary<string, string> { ["n"] = "2" }, TrialState.Completed, [], 1, null)] };
        Assert.True(random.IsFinished(taken));
    }
}
