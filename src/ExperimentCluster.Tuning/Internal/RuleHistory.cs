namespace ExperimentCluster.Tuning;

/// <summary>Reading a history the way every rule must: only what had been reported before the report being decided.</summary>
internal static class RuleHistory
{
    public static Trial? Find(IReadOnlyList<Trial> history, int number)
    {
        if (number >= 0 && number < history.Count && history[number].Number == number)
        {
            return history[number];
        }

        return history.FirstOrDefault(t => t.Number == number);
    }

    public static RungValue? At(Trial trial, int epoch)
    {
        // Values come in epoch order, one per epoch: when every epoch is recorded (the median rule, TPE), epoch e is at
        // index e - 1, and a sweep of long runs need not scan each run's values backwards for every lookup.
        if (epoch >= 1 && epoch <= trial.Values.Count && trial.Values[epoch - 1].Epoch == epoch)
        {
            return trial.Values[epoch - 1];
        }

        for (var i = trial.Values.Count - 1; i >= 0; i--)
        {
            if (trial.Values[i].Epoch == epoch)
            {
                return trial.Values[i];
            }
        }

        return null;
    }

    /// <summary>Losses compare with NaN as the worst possible value.</summary>
    public static double Loss(double value) => double.IsNaN(value) ? double.PositiveInfinity : value;
}
