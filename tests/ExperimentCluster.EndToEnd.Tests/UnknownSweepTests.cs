using ExperimentCluster.Cli.Commands;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>"no sweep 'ID'" names the sweep the user likely meant: ids are long and made up, so people type the start
/// of one or slip a character.</summary>
public sealed class UnknownSweepTests
{
    private static readonly string[] Stored =
        ["lr-decades-20261205-120045-f2d9", "quick-20261205-094123-15ad", "quick-20261205-101500-9c3e", "tpe-digits"];

    [Theory]
    [InlineData("lr-decades", " (did you mean 'lr-decades-20261205-120045-f2d9'?)")]
    [InlineData("lr-decades-20261205-120045-f2d8", " (did you mean 'lr-decades-20261205-120045-f2d9'?)")]
    [InlineData("tpe-digtis", " (did you mean 'tpe-digits'?)")]
    [InlineData("quick", " (2 stored ids start so: quick-20261205-094123-15ad, quick-20261205-101500-9c3e)")]
    [InlineData("gp-iris", ": none of the 4 sweeps stored here has that id (excl list names them)")]
    public void The_hint_names_the_sweep_it_was_likely_meant_to_be(string id, string hint) =>
        Assert.Equal(hint, UnknownSweep.Hint(id, Stored));

    [Fact]
    public void With_one_or_no_sweep_stored_the_hint_says_what_is_there()
    {
        Assert.Equal(": the one sweep stored here is 'tpe-digits'", UnknownSweep.Hint("gp-iris", ["tpe-digits"]));
        Assert.Equal(": no sweep is stored here yet", UnknownSweep.Hint("gp-iris", []));
    }

    [Fact]
    public void More_than_three_ids_that_start_so_are_cut_short() =>
        Assert.Equal(" (4 stored ids start so: a1, a2, a3, ...)", UnknownSweep.Hint("a", ["a3", "a1", "a4", "a2"]));
}
