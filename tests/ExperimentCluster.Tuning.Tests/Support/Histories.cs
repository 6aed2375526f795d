namespace ExperimentCluster.Tuning.Tests;

/// <summary>Small hand-made histories for rule tests: each report is (trial, epoch, value) in sequence order.</summary>
internal static class Histories
{
    public static List<Trial> From(params (int Trial, int Epoch, double Value)[] reports)
    {
        var history = new List<Trial>();
        long sequence = 0;
        foreach (var (number, epoch, value) in reports)
        {
            while (history.Count <= number)
            {
                history.Add(new Trial(history.Count, new Dictionary<string, string>(), TrialState.Running, [], null, null));
            }

            var trial = history[number];
            history[number] = trial with { Values = [.. trial.Values, new RungValue(epoch, value, ++sequence)], FinalValue = value };
        }

        return history;
    }
}
