namespace ExperimentCluster.Tuning.Tests;

/// <summary>ASHA and Hyperband decide at a rung with the values that rung already holds, as the ASHA paper and Optuna's
/// SuccessiveHalvingPruner do: the best max(1, floor(n / eta)) of the n values so far continue, so a rung never waits to fill.</summary>
public sealed class AsynchronousRungTests
{
    private static StopDecision Asha(List<Trial> history, int trial, int epoch) =>
        new AshaRule().Decide(new StoppingContext(history, 27), trial, epoch);

    [Fact]
    public void The_first_trial_at_a_rung_continues_and_the_second_is_decided_against_it_at_once()
    {
        Assert.False(Asha(Histories.From((0, 1, 0.5)), 0, 1).Stop);

        var worse = Asha(Histories.From((0, 1, 0.5), (1, 1, 0.6)), 1, 1);
        Assert.True(worse.Stop);
        Assert.StartsWith("rung 0 (epoch 1): 2 of 2 so far, the best 1 continue", worse.Reason, StringComparison.Ordinal);
        Assert.False(Asha(Histories.From((0, 1, 0.5), (1, 1, 0.4)), 1, 1).Stop);
    }

    [Fact]
    public void A_value_equal_to_the_cut_continues_as_in_optuna()
    {
        Assert.False(Asha(Histories.From((0, 1, 0.5), (1, 1, 0.5)), 1, 1).Stop);
    }

    [Fact]
    public void A_higher_rung_is_decided_with_the_trials_that_reached_it_so_far()
    {
        // Trials 0 and 1 reached epoch 3; trial 2 is the third there and second best: with three values one continues.
        var history = Histories.From((0, 1, 0.5), (0, 3, 0.30), (1, 1, 0.4), (1, 3, 0.20), (2, 1, 0.3), (2, 3, 0.25));

        var decision = Asha(history, 2, 3);

        Assert.True(decision.Stop);
        Assert.Equal(1, decision.Rung);
        Assert.StartsWith("rung 1 (epoch 3): 2 of 3 so far, the best 1 continue", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Eta_four_keeps_the_best_one_until_eight_values_then_two()
    {
        var rule = new AshaRule(reductionFactor: 4);
        var seven = Histories.From((0, 1, 0.1), (1, 1, 0.9), (2, 1, 0.8), (3, 1, 0.7), (4, 1, 0.6), (5, 1, 0.5), (6, 1, 0.2));
        var eight = Histories.From((0, 1, 0.1), (1, 1, 0.9), (2, 1, 0.8), (3, 1, 0.7), (4, 1, 0.6), (5, 1, 0.5), (6, 1, 0.4), (7, 1, 0.2));

        Assert.True(rule.Decide(new StoppingContext(seven, 27), 6, 1).Stop);
        Assert.False(rule.Decide(new StoppingContext(eight, 27), 7, 1).Stop);
        Assert.Equal([1, 4, 16], rule.RecordedEpochs(27)!.Order());
    }

    [Fact]
    public void A_hyperband_bracket_decides_with_its_own_trials_at_its_own_first_rung()
    {
        var rule = new HyperbandRule();
        var bracket0 = Enumerable.Range(0, 100).Where(n => rule.BracketOf(n, 27) == 0).Take(2).ToArray();
        var bracket1 = Enumerable.Range(0, 100).First(n => rule.BracketOf(n, 27) == 1);
        var (a, b, c) = (bracket0[0], bracket0[1], bracket1);
        var history = Histories.From((a, 1, 0.5), (c, 1, 0.1), (b, 1, 0.6), (c, 2, 0.1), (c, 3, 0.9));

        // b is second of the two values its bracket has at epoch 1; c's better value belongs to another bracket.
        var stopped = rule.Decide(new StoppingContext(history, 27), b, 1);
        Assert.True(stopped.Stop);
        Assert.Contains("of bracket 0: 2 of 2 so far", stopped.Reason, StringComparison.Ordinal);

        // Bracket 1's first rung is epoch 3: c is not judged at epoch 1, and at epoch 3 it is alone in its bracket.
        Assert.Equal("epoch 1 is not a rung of bracket 1", rule.Decide(new StoppingContext(history, 27), c, 1).Reason);
        Assert.False(rule.Decide(new StoppingContext(history, 27), c, 3).Stop);
    }

    [Fact]
    public void A_hyperband_bracket_keeps_the_best_third_once_it_holds_three_values()
    {
        var rule = new HyperbandRule();
        var trials = Enumerable.Range(0, 200).Where(n => rule.BracketOf(n, 27) == 0).Take(6).ToArray();
        var values = new[] { 0.5, 0.4, 0.45, 0.42, 0.3, 0.35 };
        var history = Histories.From([.. trials.Select((t, i) => (t, 1, values[i]))]);

        // Sixth of six with the second-best value: the best two continue.
        Assert.False(rule.Decide(new StoppingContext(history, 27), trials[5], 1).Stop);
        // Fourth of four with the second-best value: only the best one continues.
        Assert.True(rule.Decide(new StoppingContext(history, 27), trials[3], 1).Stop);
    }
}
