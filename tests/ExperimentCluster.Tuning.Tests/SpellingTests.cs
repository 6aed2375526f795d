namespace ExperimentCluster.Tuning.Tests;

/// <summary>The hint of the "unknown ..." errors: the known name a typo was meant to be, and none for a name that is
/// simply not there (a wrong hint is worse than none).</summary>
public sealed class SpellingTests
{
    private static readonly string[] Keys = ["name", "training", "command", "seeds", "search", "early_stopping", "concurrency", "max_runs"];

    [Theory]
    [InlineData("trainig", "training")] // a letter dropped
    [InlineData("trainingg", "training")] // one added
    [InlineData("serach", "search")] // two swapped
    [InlineData("early-stopping", "early_stopping")] // '-' for '_'
    [InlineData("Max_Runs", "max_runs")] // case alone
    [InlineData("concurency", "concurrency")]
    [InlineData("seed", "seeds")]
    public void A_typo_is_offered_the_name_it_was_meant_to_be(string given, string meant) =>
        Assert.Equal($" (did you mean '{meant}'?)", Spelling.Hint(given, Keys));

    [Theory]
    [InlineData("momentum")] // a real word, not a typo of a key
    [InlineData("nme2")] // two edits away from a four-letter name
    [InlineData("strategy")]
    [InlineData("")]
    public void A_name_no_known_one_is_close_to_gets_no_hint(string given) =>
        Assert.Equal("", Spelling.Hint(given, Keys));

    [Theory]
    [InlineData("tpee", " (did you mean 'tpe'?)")]
    [InlineData("LR-Decades", " (did you mean 'lr-decades'?)")]
    [InlineData("bayes", "")]
    [InlineData("optuna", "")]
    public void The_strategies_names(string given, string hint) => Assert.Equal(hint, Spelling.Hint(given, StrategyCatalog.Names));
}
