namespace ExperimentCluster.Tuning;

/// <summary>The values the median rule takes its median of, one method per <see cref="MedianMode"/>. Both read only values
/// with a lower report sequence than the report being decided (<paramref name="before"/>), so replaying a stored history
/// gives the decisions made live.</summary>
internal static class MedianReferences
{
    /// <summary>Optuna: the value at <paramref name="epoch"/> of every other trial that had finished before this report.
    /// "Finished" is read from the values, not from the trial's state, because a state changes after the fact (a trial's
    /// completion may be recorded after later reports of other trials): a trial finished when it reported the last epoch
    /// (<paramref name="maxEpochs"/>), and only if it passed the check Optuna makes there. Optuna checks after the last
    /// step too and prunes a trial whose best is worse than the finished trials' median; such a trial is no longer
    /// "complete" and leaves the median alone. This rule never stops at the last epoch (it would save nothing), but it
    /// leaves such a trial out of the median in the same way, in the order the trials finished. Stopped trials never report
    /// the last epoch, so they never count, as pruned trials do not in Optuna. Cost: O(finished trials^2) per decision.</summary>
    public static List<double> FinishedTrialsAt(IReadOnlyList<Trial> history, int trialNumber, int epoch, int maxEpochs, int minTrials, long before)
    {
        var finishing = new List<(long Sequence, Trial Trial, double Last)>();
        foreach (var other in history)
        {
            if (other.Number != trialNumber && RuleHistory.At(other, maxEpochs) is { } last && last.Sequence < before && double.IsFinite(last.Value))
            {
                finishing.Add((last.Sequence, other, last.Value));
            }
        }

        finishing.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        var lastValues = new List<double>(); // the finished trials' values at the last epoch, kept sorted
        var values = new List<double>();
        foreach (var (_, trial, last) in finishing)
        {
            if (lastValues.Count >= minTrials && BestUpTo(trial, maxEpochs) > Median(lastValues))
            {
                continue; // Optuna would have pruned it at its last step
            }

            var at = lastValues.BinarySearch(last);
            lastValues.Insert(at < 0 ? ~at : at, last);
            if (RuleHistory.At(trial, epoch) is { } theirs && !double.IsNaN(theirs.Value))
            {
                values.Add(theirs.Value);
            }
        }

        return values;
    }

    /// <summary>The lowest value a trial reported up to <paramref name="epoch"/>, NaN counting as the worst.</summary>
    public static double BestUpTo(Trial trial, int epoch) =>
        trial.Values.Where(v => v.Epoch <= epoch).Select(v => RuleHistory.Loss(v.Value)).DefaultIfEmpty(double.PositiveInfinity).Min();

    /// <summary>Legacy: the running average up to <paramref name="epoch"/> of every other trial that had reported it
    /// before this report, finished or not.</summary>
    public static List<double> RunningAveragesAt(IReadOnlyList<Trial> history, int trialNumber, int epoch, long before)
    {
        var averages = new List<double>();
        foreach (var other in history)
        {
            if (other.Number != trialNumber && RuleHistory.At(other, epoch) is { } theirs && theirs.Sequence < before)
            {
                averages.Add(other.Values.Where(v => v.Epoch <= epoch).Average(v => RuleHistory.Loss(v.Value)));
            }
        }

        return averages;
    }

    /// <summary>The median of <paramref name="values"/>, which it sorts.</summary>
    public static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
