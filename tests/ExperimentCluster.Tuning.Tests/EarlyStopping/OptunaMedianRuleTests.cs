namespace ExperimentCluster.Tuning.Tests;

/// <summary>The median rule's default mode, Optuna's MedianPruner: a trial's best value so far against the median of the
/// finished trials' values at the same epoch, once five trials have finished.</summary>
public sealed class OptunaMedianRuleTests
{
    private const int MaxEpochs = 4;

    /// <summary>Trials 0..count-1, each reporting every epoch to the last: value 0.2 + 0.01 t at every epoch.</summary>
    private static (int, int, double)[] Finished(int count) =>
        [.. Enumerable.Range(0, count).SelectMany(t => Enumerable.Range(1, MaxEpochs).Select(e => (t, e, 0.2 + (0.01 * t))))];

    private static StopDecision Decide(List<Trial> history, int trial, int epoch, MedianStoppingRule? rule = null) =>
        (rule ?? new MedianStoppingRule()).Decide(new StoppingContext(history, MaxEpochs), trial, epoch);

    [Fact]
    public void After_five_finished_trials_a_trial_whose_best_is_worse_than_their_median_at_that_epoch_is_stopped()
    {
        var history = Histories.From([.. Finished(5), (5, 1, 0.5), (5, 2, 0.3)]);

        var decision = Decide(history, 5, 2);

        Assert.True(decision.Stop);
        Assert.Equal("median", decision.Rule);
        Assert.Equal(1, decision.Rung);
        Assert.Equal("epoch 2: best so far 0.3 vs median value of 5 finished trials 0.22", decision.Reason);
    }

    [Fact]
    public void A_maximised_metric_is_named_with_its_own_values_in_the_reason()
    {
        var negated = Finished(5).Select(v => (v.Item1, v.Item2, -v.Item3));
        var history = Histories.From([.. negated, (5, 1, -0.05), (5, 2, -0.1)]);

        var decision = new MedianStoppingRule().Decide(new StoppingContext(history, MaxEpochs) { Objective = new Objective("val_accuracy", true) }, 5, 2);

        Assert.True(decision.Stop);
        Assert.Equal("epoch 2: best so far val_accuracy 0.1 vs median value of 5 finished trials 0.22", decision.Reason);
    }

    [Fact]
    public void With_four_finished_trials_nothing_is_stopped_however_many_are_running()
    {
        var running = Enumerable.Range(4, 6).SelectMany(t => new[] { (t, 1, 0.1), (t, 2, 0.1) });
        var history = Histories.From([.. Finished(4), .. running, (10, 1, 5.0), (10, 2, 5.0)]);

        var decision = Decide(history, 10, 2);

        Assert.False(decision.Stop);
        Assert.Equal("epoch 2: 4 finished trials, 5 needed", decision.Reason);
    }

    [Fact]
    public void The_check_starts_at_epoch_one_and_never_at_the_last_epoch()
    {
        var history = Histories.From([.. Finished(5), (5, 1, 0.5), (5, 2, 0.5), (5, 3, 0.5), (5, 4, 0.5)]);

        Assert.True(Decide(history, 5, 1).Stop);
        Assert.False(Decide(history, 5, MaxEpochs).Stop);
        Assert.False(Decide(history, 5, 1, new MedianStoppingRule(warmupEpochs: 1)).Stop);
        Assert.True(Decide(history, 5, 2, new MedianStoppingRule(warmupEpochs: 1)).Stop);
    }

    [Fact]
    public void The_best_value_so_far_counts_not_the_latest()
    {
        var history = Histories.From([.. Finished(5), (5, 1, 0.1), (5, 2, 0.9)]);

        Assert.False(Decide(history, 5, 2).Stop);
    }

    [Fact]
    public void It_compares_with_the_values_at_that_epoch_where_the_legacy_rule_compares_with_running_averages()
    {
        // Finished trials fall from 1.0 to 0.2 at epoch 2: their value there is 0.2, their running average 0.6.
        var falling = Enumerable.Range(0, 5).SelectMany(t => new[] { (t, 1, 1.0), (t, 2, 0.2), (t, 3, 0.2), (t, 4, 0.2) });
        var history = Histories.From([.. falling, (5, 1, 0.8), (5, 2, 0.4)]);

        Assert.True(Decide(history, 5, 2).Stop);
        Assert.False(Decide(history, 5, 2, new MedianStoppingRule(MedianMode.Legacy)).Stop);
    }

    [Fact]
    public void Running_trials_and_trials_that_finished_after_the_report_do_not_count()
    {
        // Trials 0..4 report epoch 2 (good values) before trial 5, but only four reach the last epoch before it reports.
        var early = Enumerable.Range(0, 5).SelectMany(t => new[] { (t, 1, 0.1), (t, 2, 0.1) });
        var finishing = Enumerable.Range(0, 4).SelectMany(t => new[] { (t, 3, 0.1), (t, 4, 0.1) });
        var history = Histories.From([.. early, .. finishing, (5, 1, 0.9), (5, 2, 0.9), (4, 3, 0.1), (4, 4, 0.1)]);

        Assert.False(Decide(history, 5, 2).Stop);
        Assert.Contains("4 finished trials", Decide(history, 5, 2).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Stopped_trials_never_count_as_finished()
    {
        // Trials 0..4 finished; trials 6..9 were stopped at epoch 2 with very good values: the median stays theirs.
        var stopped = Enumerable.Range(6, 4).SelectMany(t => new[] { (t, 1, 0.01), (t, 2, 0.01) });
        var history = Histories.From([.. Finished(5), .. stopped, (10, 1, 0.21), (10, 2, 0.21)]);

        Assert.False(Decide(history, 10, 2).Stop);
    }

    [Fact]
    public void With_an_interval_it_checks_every_interval_th_epoch_after_the_warm_up_and_records_the_last_epoch()
    {
        var rule = new MedianStoppingRule(warmupEpochs: 1, interval: 2);

        Assert.Equal([3, 5, 7, 9, 10], rule.RecordedEpochs(10)!.Order());
        Assert.Null(new MedianStoppingRule().RecordedEpochs(10));
    }

    [Theory]
    [InlineData("""{"mode": "vizier"}""", "median.mode", "must be one of optuna, legacy, got 'vizier'")]
    [InlineData("""{"mode": 1}""", "median.mode", "must be a string")]
    [InlineData("""{"warmup_epochs": -1}""", "median.warmup_epochs", "must be 0 or more")]
    [InlineData("""{"mode": "legacy", "min_trials": 0}""", "median.min_trials", "must be at least 1")]
    public void A_bad_setting_is_an_error_naming_the_field(string settings, string field, string reason)
    {
        var error = Assert.Throws<TuningException>(() => StoppingRuleCatalog.Create("median", Spaces.Settings(settings)));

        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mode_and_its_warm_up_default_come_from_the_settings()
    {
        var optuna = (MedianStoppingRule)StoppingRuleCatalog.Create("median");
        var legacy = (MedianStoppingRule)StoppingRuleCatalog.Create("median", Spaces.Settings("""{"mode": "legacy"}"""));

        Assert.Equal((MedianMode.Optuna, 0, 5, 1), (optuna.Mode, optuna.WarmupEpochs, optuna.MinTrials, optuna.Interval));
        Assert.Equal((MedianMode.Legacy, 1), (legacy.Mode, legacy.WarmupEpochs));
    }
}
