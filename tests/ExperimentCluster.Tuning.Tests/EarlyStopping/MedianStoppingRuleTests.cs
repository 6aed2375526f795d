namespace ExperimentCluster.Tuning.Tests;

/// <summary>The legacy median (running averages of every trial that reported the epoch): <c>median.mode: legacy</c>.</summary>
public sealed class MedianStoppingRuleTests
{
    private static (int, int, double)[] FiveGoodTrials(int epochs) =>
        [.. Enumerable.Range(0, 5).SelectMany(t => Enumerable.Range(1, epochs).Select(e => (t, e, 0.2 + (0.01 * t) + (0.5 / e))))];

    [Fact]
    public void A_trial_whose_best_value_is_worse_than_the_median_running_average_is_stopped()
    {
        var history = Histories.From([.. FiveGoodTrials(3), (5, 1, 2.0), (5, 2, 1.9), (5, 3, 1.8)]);

        var decision = new MedianStoppingRule(MedianMode.Legacy).Decide(new StoppingContext(history, 10), 5, 3);

        Assert.True(decision.Stop);
        Assert.Equal("median", decision.Rule);
        Assert.StartsWith("epoch 3: best so far 1.8 vs median running average ", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trial_better_than_the_median_continues()
    {
        var history = Histories.From([.. FiveGoodTrials(3), (5, 1, 0.3), (5, 2, 0.25), (5, 3, 0.2)]);

        Assert.False(new MedianStoppingRule(MedianMode.Legacy).Decide(new StoppingContext(history, 10), 5, 3).Stop);
    }

    [Fact]
    public void Nothing_is_stopped_during_warm_up_or_before_enough_other_trials_reported()
    {
        var history = Histories.From([.. FiveGoodTrials(3), (5, 1, 2.0), (5, 2, 1.9), (5, 3, 1.8)]);

        Assert.False(new MedianStoppingRule(MedianMode.Legacy, warmupEpochs: 3).Decide(new StoppingContext(history, 10), 5, 3).Stop);
        Assert.False(new MedianStoppingRule(MedianMode.Legacy, minTrials: 6).Decide(new StoppingContext(history, 10), 5, 3).Stop);
        Assert.False(new MedianStoppingRule(MedianMode.Legacy).Decide(new StoppingContext(history, 10), 5, 1).Stop);
    }

    [Fact]
    public void Only_trials_that_reported_the_epoch_earlier_count()
    {
        var history = Histories.From([.. FiveGoodTrials(2), (5, 1, 2.0), (5, 2, 1.9), (0, 3, 0.1), (1, 3, 0.1), (2, 3, 0.1), (3, 3, 0.1), (4, 3, 0.1)]);

        var decision = new MedianStoppingRule(MedianMode.Legacy).Decide(new StoppingContext(history, 10), 5, 2);

        Assert.True(decision.Stop);
        Assert.Contains("of 5 trials", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_an_interval_it_records_and_checks_only_every_interval_th_epoch()
    {
        var rule = new MedianStoppingRule(MedianMode.Legacy, warmupEpochs: 2, interval: 3);

        Assert.Null(new MedianStoppingRule(MedianMode.Legacy).RecordedEpochs(10));
        Assert.Equal([3, 6, 9], rule.RecordedEpochs(10)!.Order());
        var history = Histories.From([.. FiveGoodTrials(3).Where(r => r.Item2 == 3), (5, 3, 5.0)]);
        Assert.True(rule.Decide(new StoppingContext(history, 10), 5, 3).Stop);
        Assert.False(rule.Decide(new StoppingContext(history, 10), 5, 4).Stop);
    }

    [Theory]
    [InlineData(MedianMode.Legacy)]
    [InlineData(MedianMode.Optuna)]
    public void With_an_interval_values_of_epochs_it_does_not_record_are_ignored(MedianMode mode)
    {
        // A strategy may have the sweep record every epoch (TPE does); trial 5's low values at epochs 1 and 2 are not the
        // rule's, so its best so far at the check epoch 3 is 5.0, not 0.01.
        var rule = new MedianStoppingRule(mode, warmupEpochs: mode == MedianMode.Legacy ? 2 : 0, interval: 3);
        var history = Histories.From([.. FiveGoodTrials(10), (5, 1, 0.01), (5, 2, 0.01), (5, 3, 5.0)]);

        var decision = rule.Decide(new StoppingContext(history, 10), 5, 3);

        Assert.True(decision.Stop, decision.Reason);
        Assert.StartsWith("epoch 3: best so far 5 vs ", decision.Reason, StringComparison.Ordinal);
    }
}
