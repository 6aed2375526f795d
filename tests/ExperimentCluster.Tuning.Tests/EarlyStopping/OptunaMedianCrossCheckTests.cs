namespace ExperimentCluster.Tuning.Tests;

/// <summary>The median rule's default mode against Optuna 3.1 itself: twenty noisy curves of 8 epochs, reported one trial
/// at a time to MedianPruner() (its defaults: 5 startup trials, no warm-up, every step) by /usr/bin/python3, asking
/// should_prune after every epoch but the last (this project's rules never stop at the last epoch, which saves nothing).
/// The epoch at which Optuna pruned each trial (null: never) must be the epoch at which this rule stops it.</summary>
public sealed class OptunaMedianCrossCheckTests
{
    private static readonly double[][] Curves =
    [
        [2.299, 1.229, 0.449, 0.577, 0.472, 0.592, 0.504, 0.377],
        [1.589, 0.558, 0.518, 0.653, 0.341, 0.448, 0.423, 0.443],
        [1.548, 0.837, 0.729, 1.075, 1.017, 0.927, 0.847, 0.94],
        [1.13, 0.246, 0.646, 0.555, 0.336, 0.169, 0.175, 0.207],
        [0.816, 1.01, 0.631, 0.895, 0.946, 0.667, 0.723, 0.787],
        [0.755, 0.661, 0.798, 0.423, 0.583, 0.766, 0.588, 0.554],
        [1.979, 1.056, 0.404, 0.217, 0.134, 0.188, 0.205, 0.117],
        [0.746, 0.62, 0.931, 0.668, 0.665, 0.889, 0.688, 0.538],
        [0.795, 0.929, 0.194, 0.363, 0.304, 0.358, 0.4, 0.186],
        [0.852, 1.051, 0.682, 0.945, 0.862, 0.787, 0.557, 0.532],
        [0.197, 0.441, 0.795, 0.68, 0.531, 0.209, 0.19, 0.359],
        [1.86, 0.865, 0.254, 0.665, 0.48, 0.27, 0.307, 0.414],
        [1.33, 1.174, 0.532, 0.965, 0.573, 0.825, 0.587, 0.466],
        [2.801, 1.414, 1.171, 1.228, 0.924, 0.933, 0.91, 0.918],
        [0.915, 0.835, 0.534, 0.465, 0.373, 0.326, 0.242, 0.252],
        [1.757, 0.629, 0.7, 0.36, 0.378, 0.559, 0.487, 0.523],
        [1.89, 1.196, 0.97, 0.948, 0.982, 0.955, 0.869, 0.838],
        [1.19, 1.0, 1.019, 1.385, 1.036, 1.137, 1.252, 1.053],
        [1.415, 1.643, 0.72, 0.861, 0.68, 0.812, 0.772, 0.607],
        [1.706, 0.57, 1.03, 0.486, 0.501, 0.51, 0.619, 0.638],
    ];

    private static readonly int?[] OptunaStops = [null, null, null, null, null, 3, 1, 5, null, 3, null, 1, 1, 1, null, 1, 1, 1, 1, 1];

    [Fact]
    public void The_median_rule_stops_the_trials_optunas_median_pruner_stops_at_the_same_epochs()
    {
        var rule = StoppingRuleCatalog.Create("median");
        var history = new List<Trial>();
        long sequence = 0;
        var stops = new List<int?>();
        for (var t = 0; t < Curves.Length; t++)
        {
            history.Add(new Trial(t, new Dictionary<string, string>(), TrialState.Running, [], null, null));
            int? stoppedAt = null;
            for (var epoch = 1; epoch <= Curves[t].Length && stoppedAt is null; epoch++)
            {
                var value = Curves[t][epoch - 1];
                history[t] = history[t] with { Values = [.. history[t].Values, new RungValue(epoch, value, ++sequence)], FinalValue = value };
                if (rule.Decide(new StoppingContext(history, Curves[t].Length), t, epoch).Stop)
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
