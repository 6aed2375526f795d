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

    /// <summary>Sixteen noisy curves reported one trial at a time, 8 epochs each, to Optuna 3.1's
    /// SuccessiveHalvingPruner(min_resource=1, reduction_factor=3) by /usr/bin/python3: the epoch at which it pruned each
    /// trial (null: never). This rule, with rungs 1 and 3 below 9 epochs, must stop the same trials at the same epochs.</summary>
    private static readonly double[][] OptunaCurves =
    [
        [0.856, 0.735, 0.172, 0.448, 0.782, 0.657, 0.262, 0.303],
        [0.562, 0.339, 0.471, 0.86, 0.246, 0.566, 1.056, 0.228],
        [0.378, 0.7, 0.736, 0.356, 0.502, 0.676, 0.448, 0.814],
        [1.31, 0.511, 0.833, 0.232, 0.478, 0.871, 0.184, 0.52],
        [0.514, 0.642, 0.284, 0.347, 0.161, 0.463, 0.18, 0.306],
        [1.008, 0.772, 0.405, 0.451, 0.865, 0.128, 0.818, 0.318],
        [0.446, 1.235, 0.557, 0.489, 0.913, 0.35, 0.574, 0.396],
        [0.986, 0.58, 0.508, 0.651, 0.756, 0.378, 0.765, 0.274],
        [0.599, 0.737, 0.708, 1.048, 0.826, 0.705, 0.852, 0.436],
        [1.044, 0.293, 1.046, 1.022, 0.66, 0.45, 0.44, 0.984],
        [0.899, 0.346, 0.796, 0.372, 0.46, 0.235, 0.431, 0.825],
        [1.124, 0.249, 0.529, 0.743, 0.347, 0.95, 0.444, 0.308],
        [0.758, 0.725, 0.324, 0.751, 0.371, 0.939, 0.343, 0.81],
        [1.038, 1.114, 0.771, 0.799, 0.586, 0.388, 0.342, 0.33],
        [0.966, 1.092, 0.596, 0.948, 0.277, 0.909, 0.835, 0.672],
        [0.656, 0.546, 0.855, 0.316, 1.026, 0.217, 0.945, 0.469],
    ];

    private static readonly int?[] OptunaStops = [null, 3, 3, 1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1];

    [Fact]
    public void Asha_stops_the_trials_optunas_successive_halving_pruner_stops_at_the_same_epochs()
    {
        var rule = new AshaRule(minEpochs: 1, reductionFactor: 3);
        var history = new List<Trial>();
        long sequence = 0;
        var stops = new List<int?>();
        for (var t = 0; t < OptunaCurves.Length; t++)
        {
            history.Add(new Trial(t, new Dictionary<string, string>(), TrialState.Running, [], null, null));
            int? stoppedAt = null;
            for (var epoch = 1; epoch <= OptunaCurves[t].Length && stoppedAt is null; epoch++)
            {
                var value = OptunaCurves[t][epoch - 1];
                history[t] = history[t] with { Values = [.. history[t].Values, new RungValue(epoch, value, ++sequence)], FinalValue = value };
                if (rule.Decide(new StoppingContext(history, 9), t, epoch).Stop)
                {
                    stoppedAt = epoch;
                }
            }

            history[t] = history[t] with { State = stoppedAt is null ? TrialState.Completed : TrialState.Stopped };
            stops.Add(stoppedAt);
        }

        Assert.Equal(OptunaStops, stops);
    }
}
