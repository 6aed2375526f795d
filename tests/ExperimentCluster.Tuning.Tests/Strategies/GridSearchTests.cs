namespace ExperimentCluster.Tuning.Tests;

public sealed class GridSearchTests
{
    private static SearchContext Context(IReadOnlyList<Trial> history, int maxTrials = 100) => new(Spaces.Grid, 1, history, maxTrials, 1);

    private static Trial Started(int number, IReadOnlyDictionary<string, string> config, TrialState state = TrialState.Completed) =>
        new(number, config, state, [], 0.5, null);

    [Fact]
    public void The_grid_is_enumerated_with_the_first_parameter_varying_slowest()
    {
        var keys = new GridSearch().Suggest(Context([]), 100).Select(c => TrialConfig.From(c).Key).ToArray();

        Assert.Equal(12, keys.Length);
        Assert.Equal("""{"activation":"relu","hidden_layers":1,"learning_rate":0.001}""", keys[0]);
        Assert.Equal("""{"activation":"tanh","hidden_layers":1,"learning_rate":0.001}""", keys[1]);
        Assert.Equal("""{"activation":"relu","hidden_layers":2,"learning_rate":0.001}""", keys[2]);
        Assert.Equal("""{"activation":"tanh","hidden_layers":2,"learning_rate":0.1}""", keys[11]);
    }

    [Theory]
    [InlineData(TrialState.Running)]
    [InlineData(TrialState.Completed)]
    [InlineData(TrialState.Failed)]
    [InlineData(TrialState.Cancelled)]
    [InlineData(TrialState.Diverged)]
    public void A_point_already_in_the_history_in_any_state_is_skipped(TrialState state)
    {
        var all = new GridSearch().Suggest(Context([]), 100);
        var history = new[] { Started(0, all[3], state) };

        var next = new GridSearch().Suggest(Context(history), 100);

        Assert.Equal(11, next.Count);
        Assert.DoesNotContain(next, c => TrialConfig.AreEqual(c, all[3]));
    }

    [Fact]
    public void A_point_spelt_differently_in_the_history_is_still_recognised()
    {
        var respelt = new Dictionary<string, string> { ["learning_rate"] = "1e-3", ["hidden_layers"] = "1.0", ["activation"] = "\"relu\"" };

        var next = new GridSearch().Suggest(Context([Started(0, respelt)]), 1).Single();

        Assert.Equal("""{"activation":"tanh","hidden_layers":1,"learning_rate":0.001}""", TrialConfig.From(next).Key);
    }

    [Fact]
    public void It_finishes_when_every_point_has_been_started()
    {
        var all = new GridSearch().Suggest(Context([]), 100);
        var history = all.Select((c, i) => Started(i, c, i == 11 ? TrialState.Running : TrialState.Completed)).ToArray();

        Assert.True(new GridSearch().IsFinished(Context(history)));
        Assert.False(new GridSearch().IsFinished(Context(history.Take(11).ToArray())));
        Assert.Empty(new GridSearch().Suggest(Context(history), 5));
    }

    [Fact]
    public void A_range_in_a_grid_is_an_error_naming_the_parameter()
    {
        var error = Assert.Throws<TuningException>(() => new GridSearch().Suggest(new SearchContext(Spaces.Mixed, 1, [], 10, 1), 1));

        Assert.Equal("search.space.learning_rate", error.Field);
        Assert.Contains("a grid needs a list of values", error.Message, StringComparison.Ordinal);
    }
}
