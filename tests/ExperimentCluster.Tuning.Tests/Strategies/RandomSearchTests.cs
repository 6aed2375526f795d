namespace ExperimentCluster.Tuning.Tests;

public sealed class RandomSearchTests
{
    private static IReadOnlyDictionary<string, string> ConfigOf(ulong seed, int number)
    {
        var history = Enumerable.Range(0, number)
            .Select(n => new Trial(n, new Dictionary<string, string>(), TrialState.Completed, [], 1, null))
            .ToArray();
        return new RandomSearch().Suggest(new SearchContext(Spaces.Mixed, seed, history, 1000, 1), 1).Single();
    }

    [Fact]
    public void The_configuration_of_trial_n_depends_only_on_the_seed_and_n()
    {
        var batch = new RandomSearch().Suggest(new SearchContext(Spaces.Mixed, 42, [], 1000, 1), 8);

        Assert.Equal(TrialConfig.From(batch[5]), TrialConfig.From(ConfigOf(42, 5)));
        Assert.Equal(TrialConfig.From(batch[7]), TrialConfig.From(ConfigOf(42, 7)));
        Assert.NotEqual(TrialConfig.From(ConfigOf(42, 5)), TrialConfig.From(ConfigOf(43, 5)));
    }

    [Fact]
    public void Log_uniform_values_are_spread_evenly_over_decades()
    {
        var rates = new RandomSearch().Suggest(new SearchContext(Spaces.Mixed, 1, [], 4000, 1), 4000)
            .Select(c => Math.Log10(Spaces.Number(c, "learning_rate")))
            .ToArray();

        foreach (var decade in new[] { -4, -3, -2, -1 })
        {
            var share = rates.Count(r => r >= decade && r < decade + 1) / 4000.0;
            Assert.InRange(share, 0.22, 0.28);
        }
    }

    [Fact]
    public void Integers_cover_their_range_including_both_ends_and_lists_every_value()
    {
        var configs = new RandomSearch().Suggest(new SearchContext(Spaces.Mixed, 1, [], 2000, 1), 2000);

        Assert.Equal(["1", "2", "3"], configs.Select(c => c["hidden_layers"]).Distinct().Order());
        Assert.Equal(["128", "16", "32", "64"], configs.Select(c => c["neurons"]).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(configs, c => c["batch_size"] == "16");
        Assert.Contains(configs, c => c["batch_size"] == "128");
        var smallBatches = configs.Count(c => Spaces.Number(c, "batch_size") < 45);
        Assert.InRange(smallBatches / 2000.0, 0.4, 0.6);
    }

    [Fact]
    public void Adding_a_parameter_leaves_the_draws_of_the_others_unchanged()
    {
        var wider = new SearchSpace([.. Spaces.Mixed.Parameters, new Parameter("momentum", new UniformDomain(0, 1))]);

        var before = new RandomSearch().Suggest(new SearchContext(Spaces.Mixed, 5, [], 10, 1), 10);
        var after = new RandomSearch().Suggest(new SearchContext(wider, 5, [], 10, 1), 10);

        Assert.Equal(before.Select(c => c["learning_rate"]), after.Select(c => c["learning_rate"]));
    }
}
