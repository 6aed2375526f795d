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

    public static StopDecision Decide(
        string rule, StoppingContext context, int trialNumber, int epoch, int[] rungs, int eta, Func<int, bool> competes, string? bracket = null)
    {
        ArgumentNullException.ThrowIfNull(context);
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
        var reported = 1;
        var better = 0;
        foreach (var other in context.History)
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

        var keep = Math.Max(1, reported / eta);
        var standing = $"rung {rung} (epoch {epoch}){bracket}: {better + 1} of {reported} so far, the best {keep} continue";
        return better < keep
            ? new StopDecision(false, rule, rung, standing)
            : new StopDecision(true, rule, rung, $"{standing}; value {RuleHistory.Format(own.Value)}");
    }
}
