namespace ExperimentCluster.Tuning.Tests;

public sealed class AshaRuleTests
{
    [Fact]
    public void Rungs_are_min_epochs_times_powers_of_the_reduction_factor_below_the_last_epoch()
    {
        Assert.Equal([1, 3, 9], new AshaRule().RecordedEpochs(27)!.Order());
        Assert.Equal([2, 4, 8, 16], new AshaRule(2, 2).RecordedEpochs(20)!.Order());
        Assert.Equal([1, 3], new AshaRule(maxEpochs: 9).RecordedEpochs(27)!.Order());
        Assert.Empty(new AshaRule(5).RecordedEpochs(5)!);
    }

    [Fact]
    public void It_keeps_roughly_one_in_eta_trials_at_each_rung()
    {
        var simulator = new RuleSimulator(new AshaRule(), trials: 300, maxEpochs: 27, concurrency: 4, seed: 1).Run();
        int Reached(int epoch) => simulator.Decisions.Count(d => d.Epoch == epoch);

        foreach (var (rung, next) in new[] { (1, 2), (3, 4), (9, 10) })
        {
            var share = (double)Reached(next) / Reached(rung);
            Assert.InRange(share, 0.25, 0.45);
        }
    }

    [Fact]
    public void A_trial_continues_only_when_in_the_top_third_of_the_values_reported_before_it_at_that_rung()
    {
        var rule = new AshaRule();
        var history = Histories.From((0, 1, 0.5), (1, 1, 0.7), (2, 1, 0.6), (3, 1, 0.4), (4, 1, 0.55), (5, 1, 0.45));

        // Trial 1 is second of two: only the best one continues while fewer than six have reported.
        Assert.True(rule.Decide(new StoppingContext(history, 27), 1, 1).Stop);
        Assert.True(rule.Decide(new StoppingContext(history, 27), 2, 1).Stop);
        Assert.False(rule.Decide(new StoppingContext(history, 27), 3, 1).Stop);
        Assert.True(rule.Decide(new StoppingContext(history, 27), 4, 1).Stop);

        // Trial 5 is second of six: the best two continue.
        var decision = rule.Decide(new StoppingContext(history, 27), 5, 1);
        Assert.False(decision.Stop);
        Assert.Equal(0, decision.Rung);
        Assert.Equal("rung 0 (epoch 1): 2 of 6 so far, the best 2 continue", decision.Reason);
    }

    [Fact]
    public void Values_reported_after_a_decision_do_not_change_it()
    {
        var rule = new AshaRule();
        var early = Histories.From((0, 1, 0.5), (1, 1, 0.4));
        var later = Histories.From((0, 1, 0.5), (1, 1, 0.4), (2, 1, 0.1), (3, 1, 0.2), (4, 1, 0.3));

        Assert.Equal(rule.Decide(new StoppingContext(early, 27), 1, 1), rule.Decide(new StoppingContext(later, 27), 1, 1));
    }

    [Fact]
    public void A_diverged_value_at_a_rung_counts_as_the_worst()
    {
        var history = Histories.From((0, 1, double.NaN), (1, 1, 5.0));

        Assert.False(new AshaRule().Decide(new StoppingContext(history, 27), 1, 1).Stop);
    }

    [Fact]
    public void The_stop_names_the_rule_and_rung()
    {
        var history = Histories.From((0, 1, 0.1), (0, 3, 0.1), (1, 1, 0.05), (1, 3, 0.2));

        var decision = new AshaRule().Decide(new StoppingContext(history, 27), 1, 3);

        Assert.Equal(new StopDecision(true, "asha", 1, "rung 1 (epoch 3): 2 of 2 so far, the best 1 continue; value 0.2"), decision);
    }

    [Fact]
    public void A_maximised_metric_is_named_with_its_own_value_in_the_reason()
    {
        // Carried negated (-0.9 is an accuracy of 0.9): the reason shows the user's metric, never the negation.
        var history = Histories.From((0, 1, -0.95), (0, 3, -0.95), (1, 1, -0.97), (1, 3, -0.9));

        var decision = new AshaRule().Decide(new StoppingContext(history, 27) { Objective = new Objective("val_accuracy", true) }, 1, 3);

        Assert.Equal("rung 1 (epoch 3): 2 of 2 so far, the best 1 continue; val_accuracy 0.9", decision.Reason);
    }
}
