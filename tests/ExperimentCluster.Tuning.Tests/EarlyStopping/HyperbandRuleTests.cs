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

    [Fact]
    public void A_trials_bracket_is_a_pure_function_of_its_number_spread_as_hyperband_allocates()
    {
        var rule = new HyperbandRule();
        var brackets = Enumerable.Range(0, 4900).Select(n => rule.BracketOf(n, 27)).ToArray();

        Assert.Equal(brackets, Enumerable.Range(0, 4900).Select(n => new HyperbandRule().BracketOf(n, 27)));
        // Hyperband's allocation for s_max = 3: 27, 12, 6 and 4 parts of 49.
        foreach (var (bracket, parts) in new[] { (0, 27), (1, 12), (2, 6), (3, 4) })
        {
            Assert.InRange(brackets.Count(b => b == bracket), (parts * 100) - 120, (parts * 100) + 120);
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
