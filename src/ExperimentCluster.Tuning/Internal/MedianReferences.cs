namespace ExperimentCluster.Tuning;

/// <summary>The values the median rule takes its median of, one method per <see cref="MedianMode"/>. Both read only values
/// with a lower report sequence than the report being decided (<paramref name="before"/>), so replaying a stored history
/// gives the decisions made live.</summary>
internal static class MedianReferences
{
    /// <summary>Optuna: the value at <paramref name="epoch"/> of every other trial that had reported the last epoch
    /// (<paramref name="maxEpochs"/>) before this report. "Finished" is read from the values, not from the trial's state,
    /// because a state changes after the fact: a trial's completion may be recorded after later reports of other trials.
    /// Stopped trials never report the last epoch (no rule stops there), so they never count, as in Optuna, where pruned
    /// trials are not compared with. Optuna also checks after the last step, and a trial it prunes there stops counting as
    /// finished; leaving such trials out here (this rule never stops at the last epoch) was measured to change no figure of
    /// the digits benchmark (TPE + median, seeds 0-9: the same 731 epochs and bests), so the rule does without its
    /// quadratic cost.</summary>
    public static List<double> FinishedTrialsAt(IReadOnlyList<Trial> history, int trialNumber, int epoch, int maxEpochs, long before)
    {
        var values = new List<double>();
        foreach (var other in history)
        {
            if (other.Number == trialNumber
                || RuleHistory.At(other, maxEpochs) is not { } last || last.Sequence >= before || !double.IsFinite(last.Value)
                || RuleHistory.At(other, epoch) is not { } theirs || theirs.Sequence >= before || double.IsNaN(theirs.Value))
            {
                continue;
            }

            values.Add(theirs.Value);
        }

        return values;
    }

    /// <summary>
    /// Optuna's references from the sweep's index: their count and median, or null where the index cannot say. The index
    /// keeps, per epoch, the sorted values of the trials that reported the last epoch with a finite value, taking in each
    /// finish once. When every finish it holds came before this report (the live case: the report is the newest value),
    /// and this trial is not among them, those are exactly the trials <see cref="FinishedTrialsAt"/> takes, with the same
    /// values (a finished trial's values all came before its last epoch), so the count and median are the same.
    /// </summary>
    public static (int Count, double Median)? FinishedTrialsFromIndex(StoppingContext context, int trialNumber, int epoch, long before)
    {
        if (context.Index is not { } index)
            return null;
        var finishes = index.At(context.MaxEpochs);
        if (finishes.Count > 0 && finishes[^1].Value.Sequence >= before)
            return null;
        var finished = index.Cached($"median/finished/{context.MaxEpochs}", () => new SortedLossesBy());
        for (; finished.Consumed < finishes.Count; finished.Consumed++)
        {
            var (trial, last) = finishes[finished.Consumed];
            if (!double.IsFinite(last.Value) || RuleHistory.Find(context.History, trial) is not { } theirs)
                continue;
            finished.Trials.Add(trial);
            foreach (var value in theirs.Values)
            {
                if (!double.IsNaN(value.Value))
                    finished[value.Epoch].Add(value.Value);
            }
        }

        if (finished.Trials.Contains(trialNumber))
            return null;
        var atEpoch = finished[epoch];
        return (atEpoch.Count, atEpoch.Count == 0 ? double.NaN : atEpoch.Median());
    }

    /// <summary>Legacy: the running average up to <paramref name="epoch"/>, over the epochs the rule records
    /// (<paramref name="recorded"/>), of every other trial that had reported it before this report, finished or not.</summary>
    public static List<double> RunningAveragesAt(IReadOnlyList<Trial> history, int trialNumber, int epoch, long before, Func<int, bool> recorded)
    {
        var averages = new List<double>();
        foreach (var other in history)
        {
            if (other.Number != trialNumber && RuleHistory.At(other, epoch) is { } theirs && theirs.Sequence < before)
            {
                averages.Add(other.Values.Where(v => v.Epoch <= epoch && recorded(v.Epoch)).Average(v => RuleHistory.Loss(v.Value)));
            }
        }

        return averages;
    }
}
