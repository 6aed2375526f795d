namespace ExperimentCluster.Tuning.Tests;

public sealed class HyperbandRuleTests
{
    [Fact]
    public void Twenty_seven_epochs_with_eta_three_make_four_brackets_whose_first_rungs_are_powers_of_three()
    {
        var rule = new HyperbandRule();

        Assert.Equal(4, rule.Brackets(27));
        Assert.Equal([1, 3, 9], rule.Rungs(0, 27));
        Assert.Equal([3, 9], rule.Rungs(1, 27));
        Assert.Equal([9], rule.Rungs(2, 27));
        Assert.Empty(rule.Rungs(3, 27));
        Assert.Equal([1, 3, 9], rule.RecordedEpochs(27)!.Order());
    }

    [Theory]
    [InlineData(3, 27, new[] { 27, 12, 6, 4 })]
    [InlineData(2, 16, new[] { 16, 10, 7, 5, 5 })]
    [InlineData(4, 64, new[] { 64, 22, 8, 4 })]
    public void Every_stretch_of_trials_holds_each_brackets_share_of_hyperbands_allocation(int eta, int epochs, int[] parts)
    {
        // Hyperband's allocation: bracket b gets ceil((s_max + 1) * eta^(s_max - b) / (s_max - b + 1)) parts.
        var rule = new HyperbandRule(reductionFactor: eta);
        var total = parts.Sum();
        var brackets = Enumerable.Range(0, 3 * total + 100).Select(n => rule.BracketOf(n, epochs)).ToArray();

        Assert.Equal(brackets, brackets.Select((_, n) => new HyperbandRule(reductionFactor: eta).BracketOf(n, epochs)));
        Assert.Equal(parts.Length, rule.Brackets(epochs));
        for (var b = 0; b < parts.Length; b++)
        {
            // Any `total` trials in a row hold each bracket's share exactly, and the first n trials, for every n, to within
            // two trials (the hash used before put 26 of a 60-trial sweep's first trials in bracket 0, whose share is 33).
            for (var start = 0; start + total <= brackets.Length; start += 7)
            {
                Assert.Equal(parts[b], brackets.Skip(start).Take(total).Count(x => x == b));
            }

            for (var n = 1; n <= brackets.Length; n++)
            {
                Assert.InRange(brackets.Take(n).Count(x => x == b) - ((double)n * parts[b] / total), -2, 2);
            }
        }
    }

    [Fact]
    public void Trials_compete_only_within_their_bracket_and_the_last_bracket_never_stops()
    {
        var rule = new HyperbandRule();
        var simulator = new RuleSimulator(rule, trials: 200, maxEpochs: 27, concurrency: 6, seed: 2).Run();

        Assert.DoesNotContain(simulator.History, t => rule.BracketOf(t.Number, 27) == 3 && t.State == TrialState.Stopped);
        Assert.DoesNotContain(simulator.Decisions, d => d.Decision.Stop && d.Epoch < rule.Rungs(rule.BracketOf(d.Trial, 27), 27).FirstOrDefault());
        Assert.All(simulator.Decisions.Where(d => d.Decision.Stop), d => Assert.Contains($"of bracket {rule.BracketOf(d.Trial, 27)}", d.Decision.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_trial_is_not_judged_against_a_better_trial_of_another_bracket()
    {
        var rule = new HyperbandRule();
        var aggressive = Enumerable.Range(0, 100).Where(n => rule.BracketOf(n, 27) == 0).Take(2).ToArray();
        var other = Enumerable.Range(0, 100).First(n => rule.BracketOf(n, 27) == 1);
        var reports = new List<(int, int, double)> { (other, 3, 0.01), (aggressive[0], 3, 0.5), (aggressive[1], 3, 0.4) };
        var history = Histories.From([.. reports]);

        Assert.False(rule.Decide(new StoppingContext(history, 27), aggressive[0], 3).Stop);
        Assert.False(rule.Decide(new StoppingContext(history, 27), aggressive[1], 3).Stop);
    }
}
