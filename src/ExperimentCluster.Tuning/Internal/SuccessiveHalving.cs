namespace ExperimentCluster.Tuning;

/// <summary>The asynchronous successive-halving decision shared by ASHA and Hyperband (Li et al. 2018; the promotion test
/// Optuna uses): at a rung, a trial continues when its value is among the best max(1, floor(n / eta)) of the n values
/// reported at that rung so far, itself included. "So far" means a lower report sequence number, which makes the decision
/// a pure function of the stored history: replaying it gives the same answers whatever arrived later.</summary>
internal static class SuccessiveHalving
{
    /// <summary>Rung epochs min * eta^k below <paramref name="maxEpochs"/> (the last epoch is no rung: stopping there saves nothing).</summary>
    public static int[] Rungs(int minEpochs, int eta, int maxEpochs)
    {
        var rungs = new List<int>();
        for (long epoch = minEpochs; epoch < maxEpochs; epoch *= eta)
        {
            rungs.Add((int)epoch);
        }

        return rungs.ToArray();
    }

    /// <summary>A trial at a rung continues when it is in the best 1/eta of the values its group (<paramref name="groupOf"/>:
    /// a Hyperband bracket; one group under ASHA) reported at the rung before it. <paramref name="groupsKey"/> names the
    /// grouping (the rule and the settings it depends on) for the index's cache.</summary>
    public static StopDecision Decide(
        string rule, StoppingContext context, int trialNumber, int epoch, int[] rungs, int eta, Func<int, int> groupOf, string groupsKey, string? bracket = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(groupOf);
        var rung = Array.IndexOf(rungs, epoch);
        if (rung < 0)
        {
            return StopDecision.Continue(rule, $"epoch {epoch} is not a rung{bracket}");
        }

        var trial = RuleHistory.Find(context.History, trialNumber);
        var own = trial is null ? null : RuleHistory.At(trial, epoch);
        if (own is null)
        {
            return StopDecision.Continue(rule, $"no value recorded at rung {rung} (epoch {epoch})");
        }

        var value = RuleHistory.Loss(own.Value);
        var group = groupOf(trialNumber);
        var (reported, better) = FromIndex(context.Index, groupsKey, trialNumber, epoch, own, value, group, groupOf)
            ?? Scan(context.History, trialNumber, epoch, own, value, other => groupOf(other) == group);
        var keep = Math.Max(1, reported / eta);
        var standing = $"rung {rung} (epoch {epoch}){bracket}: {better + 1} of {reported} so far, the best {keep} continue";
        return better < keep
            ? new StopDecision(false, rule, rung, standing)
            : new StopDecision(true, rule, rung, $"{standing}; {context.Objective.Label} {context.Objective.Number(own.Value)}");
    }

    /// <summary>The trials of the group that reported the rung before this one (this one included), and how many of them did better.</summary>
    private static (int Reported, int Better) Scan(IReadOnlyList<Trial> history, int trialNumber, int epoch, RungValue own, double value, Func<int, bool> competes)
    {
        var reported = 1;
        var better = 0;
        foreach (var other in history)
        {
            if (other.Number == trialNumber || !competes(other.Number) || RuleHistory.At(other, epoch) is not { } theirs || theirs.Sequence >= own.Sequence)
            {
                continue;
            }

            reported++;
            if (RuleHistory.Loss(theirs.Value) < value)
            {
                better++;
            }
        }

        return (reported, better);
    }

    /// <summary>The same counts from the index's sorted values of the rung, per group; null unless this report is the newest
    /// value of its rung (then "before it" is every other value of the rung, so the counts equal <see cref="Scan"/>'s: the
    /// group's values include this one, which is not below itself).</summary>
    private static (int Reported, int Better)? FromIndex(
        RuleValueIndex? index, string groupsKey, int trialNumber, int epoch, RungValue own, double value, int group, Func<int, int> groupOf)
    {
        if (index is null || index.At(epoch) is not { Count: > 0 } values || values[^1] != new IndexedValue(trialNumber, own))
        {
            return null;
        }

        var groups = index.Cached($"{groupsKey}/rung/{epoch}", () => new SortedLossesBy());
        for (; groups.Consumed < values.Count; groups.Consumed++)
        {
            var entry = values[groups.Consumed];
            groups[groupOf(entry.Trial)].Add(RuleHistory.Loss(entry.Value.Value));
        }

        var mine = groups[group];
        return (mine.Count, mine.Below(value));
    }
}
