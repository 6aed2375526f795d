using Xunit.Abstractions;

namespace ExperimentCluster.Tuning.Tests;

/// <summary>TPE with trials running (issue 12): constant liar, several suggestions in one call, determinism, and the
/// multivariate and constant_liar settings.</summary>
public sealed class TpeParallelTests(ITestOutputHelper output)
{
    private static readonly SearchSpace Line = new([new Parameter("x", new UniformDomain(-5, 5))]);

    private static Dictionary<string, string> X(double x) => new() { ["x"] = JsonTextOf(x) };

    private static string JsonTextOf(double x) => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>20 finished trials spread over [-5, 5] with loss (x - 1.3)^2, then <paramref name="running"/> trials running at
    /// and around the optimum.</summary>
    private static List<Trial> HistoryWithRunningAtTheOptimum(int running)
    {
        var history = new List<Trial>();
        for (var i = 0; i < 20; i++)
        {
            var x = -4.9 + (i * 0.5);
            var loss = Math.Pow(x - 1.3, 2);
            history.Add(new Trial(i, X(x), TrialState.Completed, [new RungValue(1, loss, i)], loss, null));
        }

        for (var r = 0; r < running; r++)
        {
            history.Add(new Trial(history.Count, X(1.1 + (0.1 * r)), TrialState.Running, [], null, null));
        }

        return history;
    }

    /// <summary>A mid-sweep history on the mixed space: 15 finished trials from a simulated sweep, 2 still running.</summary>
    private static SearchContext MidSweep(string settings, ulong seed = 4)
    {
        var simulator = new SweepSimulator("tpe", settings, Spaces.Mixed, seed, maxTrials: 17, concurrency: 1);
        simulator.Run();
        var history = simulator.History.ToList();
        history[15] = history[15] with { State = TrialState.Running, Values = [], FinalValue = null };
        history[16] = history[16] with { State = TrialState.Running, Values = [], FinalValue = null };
        return new SearchContext(Spaces.Mixed, seed, history, 100, 1);
    }

    private static double MeanDistanceFromRunning(bool constantLiar)
    {
        var total = 0.0;
        for (ulong seed = 0; seed < 20; seed++)
        {
            var context = new SearchContext(Line, seed, HistoryWithRunningAtTheOptimum(running: 5), 100, 1);
            var x = Spaces.Number(new TpeSearch(constantLiar: constantLiar).Suggest(context, 1)[0], "x");
            total += Enumerable.Range(0, 5).Min(r => Math.Abs(x - (1.1 + (0.1 * r))));
        }

        return total / 20;
    }

    [Fact]
    public void Under_constant_liar_a_suggestion_keeps_away_from_the_running_trials()
    {
        var liar = MeanDistanceFromRunning(constantLiar: true);
        var ignored = MeanDistanceFromRunning(constantLiar: false);
        output.WriteLine($"mean distance to the nearest running trial: constant liar {liar:F3}, running trials ignored {ignored:F3}");

        Assert.True(liar > 2 * ignored, $"constant liar {liar:F3} vs ignoring running trials {ignored:F3}");
    }

    /// <summary>20 completed trials over [0, 5) whose loss at epoch e is (x - 1.3)^2 + 1/e (3 epochs), and one trial
    /// running at x = -3, where nothing has been tried, that reported <paramref name="runningLoss"/> at epoch <paramref name="runningEpoch"/>.</summary>
    private static List<Trial> HistoryWithOneRunningAtMinusThree(double runningLoss, int runningEpoch = 2)
    {
        var history = new List<Trial>();
        var sequence = 0L;
        for (var i = 0; i < 20; i++)
        {
            var x = i * 0.25;
            var values = Enumerable.Range(1, 3).Select(e => new RungValue(e, Math.Pow(x - 1.3, 2) + (1.0 / e), sequence++)).ToList();
            history.Add(new Trial(i, X(x), TrialState.Completed, values, values[^1].Value, null));
        }

        var reported = Enumerable.Range(1, runningEpoch).Select(e => new RungValue(e, e == runningEpoch ? runningLoss : 50, sequence++)).ToList();
        history.Add(new Trial(20, X(-3), TrialState.Running, reported, null, null));
        return history;
    }

    [Theory]
    [InlineData(0.4, 2, true)] // below the 2nd best at epoch 2 (x = 1.5: (0.2)^2 + 0.5 = 0.54)
    [InlineData(0.6, 2, false)] // above it
    [InlineData(0.54, 2, false)] // level with it: not ahead
    [InlineData(0.4, 4, false)] // no completed trial reached epoch 4: nothing to compare with
    [InlineData(double.NaN, 2, false)]
    public void A_running_trial_joins_the_good_group_only_when_it_beats_the_good_group_at_its_epoch(double loss, int epoch, bool good)
    {
        var history = HistoryWithOneRunningAtMinusThree(loss, epoch);

        var split = TpeSplit.Of(history, gamma: 0.1, constantLiar: true);

        Assert.Equal(20, split.Finished);
        Assert.Equal(good ? "5,6,20" : "5,6", string.Join(",", split.Good.Select(t => t.Number)));
        Assert.Equal(!good, split.Rest.Any(t => t.Number == 20));
    }

    [Fact]
    public void Without_constant_liar_a_running_trial_is_in_neither_group_however_well_it_does()
    {
        var split = TpeSplit.Of(HistoryWithOneRunningAtMinusThree(0.01), gamma: 0.1, constantLiar: false);

        Assert.DoesNotContain(split.Good.Concat(split.Rest), t => t.Number == 20);
    }

    [Fact]
    public void Suggestions_go_near_a_running_trial_that_beats_the_good_group_and_not_near_one_that_does_not()
    {
        int NearMinusThree(double runningLoss)
        {
            var near = 0;
            for (ulong seed = 0; seed < 40; seed++)
            {
                var context = new SearchContext(Line, seed, HistoryWithOneRunningAtMinusThree(runningLoss), 100, 1);
                near += Math.Abs(Spaces.Number(new TpeSearch().Suggest(context, 1)[0], "x") + 3) < 1 ? 1 : 0;
            }

            return near;
        }

        var ahead = NearMinusThree(0.01);
        var behind = NearMinusThree(30);
        output.WriteLine($"suggestions within 1 of the running trial at -3, of 40: ahead of the good group {ahead}, behind it {behind}");

        Assert.True(ahead >= 10 && ahead > 3 * behind, $"ahead {ahead} vs behind {behind}");
    }

    [Theory]
    [InlineData(0.01, "(1 of the 1 running counted as good, being ahead of the best at the epoch they reached; the others as bad)")]
    [InlineData(30, "(the 1 running ones counted as bad, so that new trials avoid them)")]
    public void The_explanation_says_which_running_trials_count_as_good(double runningLoss, string expected)
    {
        var context = new SearchContext(Line, 1, HistoryWithOneRunningAtMinusThree(runningLoss), 100, 1);

        Assert.Contains(expected, new TpeSearch().Explain(context), StringComparison.Ordinal);
    }

    [Fact]
    public void Tpe_asks_the_sweep_to_record_every_epoch_only_under_constant_liar()
    {
        Assert.Null(new TpeSearch().RecordedEpochs(27));
        Assert.Empty(new TpeSearch(constantLiar: false).RecordedEpochs(27)!);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_batch_of_eight_spreads_out_under_constant_liar(bool multivariate)
    {
        double Spread(bool liar)
        {
            var context = new SearchContext(Line, 3, HistoryWithRunningAtTheOptimum(running: 0), 100, 1);
            var xs = new TpeSearch(multivariate: multivariate, constantLiar: liar).Suggest(context, 8).Select(c => Spaces.Number(c, "x")).ToArray();
            return xs.Max() - xs.Min();
        }

        output.WriteLine($"range of a batch of 8: constant liar {Spread(true):F3}, without {Spread(false):F3}");
        Assert.True(Spread(true) > 1.5 * Spread(false), $"constant liar {Spread(true):F3} vs {Spread(false):F3}");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"multivariate": false}""")]
    [InlineData("""{"constant_liar": false}""")]
    public void A_shorter_answer_is_a_prefix_of_a_longer_one(string settings)
    {
        var context = MidSweep(settings);
        var strategy = StrategyCatalog.Create("tpe", Spaces.Settings(settings));
        var eight = strategy.Suggest(context, 8).Select(c => TrialConfig.From(c).Key).ToArray();

        for (var count = 1; count < 8; count++)
        {
            Assert.Equal(eight.Take(count), strategy.Suggest(context, count).Select(c => TrialConfig.From(c).Key));
        }

        Assert.Equal(8, eight.Distinct().Count());
    }

    [Fact]
    public void The_earlier_suggestions_of_a_call_count_as_running_trials()
    {
        var context = MidSweep("{}");
        var strategy = new TpeSearch();
        var two = strategy.Suggest(context, 2);

        var started = context with { History = [.. context.History, new Trial(context.History.Count, two[0], TrialState.Running, [], null, null)] };
        var next = strategy.Suggest(started, 1);

        Assert.Equal(TrialConfig.From(two[1]), TrialConfig.From(next[0]));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"multivariate": false}""")]
    public void The_same_history_with_running_trials_gives_the_same_suggestions_from_a_fresh_strategy(string settings)
    {
        var context = MidSweep(settings);

        var first = StrategyCatalog.Create("tpe", Spaces.Settings(settings)).Suggest(context, 4).Select(c => TrialConfig.From(c).Key);
        var second = StrategyCatalog.Create("tpe", Spaces.Settings(settings)).Suggest(context with { History = context.History.ToList() }, 4).Select(c => TrialConfig.From(c).Key);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Multivariate_and_univariate_draw_different_suggestions_from_the_same_history()
    {
        var context = MidSweep("{}");

        var joint = new TpeSearch(multivariate: true).Suggest(context, 4).Select(c => TrialConfig.From(c).Key);
        var apart = new TpeSearch(multivariate: false).Suggest(context, 4).Select(c => TrialConfig.From(c).Key);

        Assert.NotEqual(joint, apart);
    }

    [Fact]
    public void The_multivariate_and_constant_liar_settings_reach_the_strategy_and_default_to_true()
    {
        var defaults = (TpeSearch)StrategyCatalog.Create("tpe");
        var set = (TpeSearch)StrategyCatalog.Create("tpe", Spaces.Settings("""{"multivariate": false, "constant_liar": false}"""));

        Assert.Equal((true, true), (defaults.Multivariate, defaults.ConstantLiar));
        Assert.Equal((false, false), (set.Multivariate, set.ConstantLiar));
    }

    [Theory]
    [InlineData("""{"multivariate": "yes"}""", "tpe.multivariate", "must be true or false, got \"yes\"")]
    [InlineData("""{"multivariate": 1}""", "tpe.multivariate", "must be true or false, got 1")]
    [InlineData("""{"constant_liar": "false"}""", "tpe.constant_liar", "must be true or false, got \"false\"")]
    public void A_setting_that_is_not_true_or_false_is_rejected_naming_it(string settings, string field, string reason)
    {
        var error = Assert.Throws<TuningException>(() => StrategyCatalog.Create("tpe", Spaces.Settings(settings)));

        Assert.Equal((field, reason), (error.Field, error.Reason));
    }
}
