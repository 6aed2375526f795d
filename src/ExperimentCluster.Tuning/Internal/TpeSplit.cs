namespace ExperimentCluster.Tuning;

/// <summary>TPE's split of the history into the good group (l(x) is fitted to it) and the rest (g(x)), both in trial order.
/// <para>Ranking, as Optuna ranks finished and pruned trials: Completed by final value; then Stopped, deeper stops first,
/// each by its last reported value (a trial stopped at epoch 9 tells more than one stopped at epoch 1, whatever its
/// value); then Diverged (and any non-finite value) last. Failed and Cancelled trials say nothing about the objective and
/// are left out. <see cref="Finished"/> counts the ranked trials: n_startup and gamma are judged on it.</para>
/// <para>The good group holds the best min(ceil(gamma * n), 25) (Optuna's <c>default_gamma</c>; the floating-point ceil is
/// kept as Optuna computes it, so ceil(0.1 * 30) is 4).</para>
/// <para>Constant liar (Optuna's <c>constant_liar</c>): Running trials join the rest as if they had ended worst of all.
/// g(x) then has a kernel on each running configuration, so l(x)/g(x) is lower there and the next suggestion moves away
/// from what is already being tried; without it, eight trials suggested from the same history fall into the same few
/// places of l(x). Running trials are not counted in <see cref="Finished"/>, so the good group's size does not grow with
/// concurrency.</para>
/// <para>Except a running trial already ahead of the good group: when its newest value, at epoch e, is lower than the
/// value at epoch e of the completed trial ranked last in the good group (the gamma-th best of the completed trials'
/// values at e), it is believed to end among the best and joins the good group instead. Optuna counts every running
/// trial as bad; but a trial that is beating the best trials at the same epoch is the one place a liar should not push
/// the next suggestion away from, and at concurrency 8 a suggestion misses up to 7 results, which these values give in
/// part. Six repetitions of `bench search --slots 8 --concurrency 8 --setups tpe` over seeds 0-79 reached medians
/// 0.0216 to 0.0224 with it (480 bests pooled: +3.9 % on concurrency 1's 0.02097), against 0.0220, 0.0225 and 0.0229
/// (+7.6 %) with every running trial a liar (bench/SEARCH_RESULTS.md, "Running trials ahead of the good group"). At
/// concurrency 1 nothing runs beside a suggestion, so nothing changes there. The strategy asks the sweep to record every
/// epoch (<see cref="TpeSearch.RecordedEpochs"/>), so that the completed trials have a value at any epoch a running one
/// has reached.</para></summary>
internal sealed record TpeSplit(IReadOnlyList<Trial> Good, IReadOnlyList<Trial> Rest, int Finished)
{
    private const int MaxGood = 25;

    /// <summary>The running trials the split holds: every one under constant liar, none without it.</summary>
    public int Running => Good.Concat(Rest).Count(t => t.State == TrialState.Running);

    public static TpeSplit Of(IReadOnlyList<Trial> history, double gamma, bool constantLiar)
    {
        var ranked = Rank(history);
        var goodCount = GoodCount(ranked.Count, gamma);
        var good = ranked.Take(goodCount).ToList();
        var rest = ranked.Skip(goodCount).ToList();
        if (constantLiar)
        {
            foreach (var running in history.Where(t => t.State == TrialState.Running))
                (AheadOfGood(running, ranked, goodCount) ? good : rest).Add(running);
        }

        return new TpeSplit([.. good.OrderBy(t => t.Number)], [.. rest.OrderBy(t => t.Number)], ranked.Count);
    }

    /// <summary>Whether a running trial's newest value is lower than the good group's bar at its epoch, the
    /// <paramref name="goodCount"/>-th lowest value at that epoch among the completed trials: at least that many have a
    /// value there, and fewer than that many are as low. Counting instead of sorting keeps a split of thousands of trials
    /// with dozens running cheap: the best trials come first, so one behind stops the count early.</summary>
    private static bool AheadOfGood(Trial running, List<Trial> ranked, int goodCount)
    {
        if (goodCount == 0 || running.Values.Count == 0 || running.Values[^1] is not { } newest || !double.IsFinite(newest.Value))
            return false;
        int reached = 0, asLow = 0;
        foreach (var trial in ranked)
        {
            if (trial.State != TrialState.Completed || RuleHistory.At(trial, newest.Epoch) is not { Value: var value } || !double.IsFinite(value))
                continue;
            reached++;
            if (value <= newest.Value && ++asLow >= goodCount)
                return false;
        }

        return reached >= goodCount;
    }

    public static int GoodCount(int finished, double gamma) => Math.Min((int)Math.Ceiling(gamma * finished), MaxGood);

    /// <summary>Trials with a result, best first.</summary>
    public static List<Trial> Rank(IReadOnlyList<Trial> history)
    {
        var ranked = new List<(int Group, double Key1, double Key2, Trial Trial)>();
        foreach (var trial in history)
        {
            var last = LastValue(trial);
            switch (trial.State)
            {
                case TrialState.Completed when last is { Value: var v } && double.IsFinite(v):
                    ranked.Add((0, v, 0, trial));
                    break;
                case TrialState.Stopped when last is { Value: var v } && double.IsFinite(v):
                    ranked.Add((1, -last.Value.Epoch, v, trial));
                    break;
                case TrialState.Completed or TrialState.Stopped or TrialState.Diverged:
                    ranked.Add((2, 0, 0, trial));
                    break;
                default:
                    break;
            }
        }

        return ranked
            .OrderBy(r => r.Group).ThenBy(r => r.Key1).ThenBy(r => r.Key2).ThenBy(r => r.Trial.Number)
            .Select(r => r.Trial)
            .ToList();
    }

    /// <summary>The final value, or the last recorded one (and its epoch) when there is no final value.</summary>
    public static (int Epoch, double Value)? LastValue(Trial trial)
    {
        var lastRecorded = trial.Values.Count > 0 ? trial.Values.MaxBy(v => v.Epoch) : null;
        if (trial.FinalValue is { } final)
        {
            return (lastRecorded?.Epoch ?? 0, final);
        }

        return lastRecorded is null ? null : (lastRecorded.Epoch, lastRecorded.Value);
    }
}
