namespace ExperimentCluster.Tuning;

/// <summary>What the Gaussian process learns from a history: the points of the trials with a result and their values,
/// transformed and standardised (mean 0, standard deviation 1, as Optuna's GP sampler standardises), and the points of the
/// running trials.
/// <para>A trial's value is its final value; a stopped trial's is the last value it reported (pessimistic: it was stopped
/// for looking bad, and its early value is higher than its end would have been). A diverged trial, or one whose value is not
/// finite, counts as the worst finite value observed: it did at least that badly, and an infinite value cannot be
/// standardised. Failed and cancelled trials carry no information about the objective and are left out.</para>
/// <para>With <c>log</c> the values are modelled as their logarithm when all are positive: a validation loss spans
/// 0.02 (good) to 2.3 (chance), and on the raw scale the GP spends its variance on the difference between bad and hopeless
/// and sees the good region as flat.</para>
/// <para>At most <c>maxResults</c> results are kept: the best half and then the newest. A fit costs the cube of the
/// results, and the sweep grain suggests inside its turn: 1.9 s a suggestion at 300 results on two cores, 48 s
/// at 1,000 (measured; past Orleans' 30 s call timeout for the runs reporting to it), and a warm start can bring any number.</para></summary>
internal sealed class GpObservations
{
    private GpObservations(List<double[]> points, List<double> values, List<int> numbers, List<double[]> running, int omitted)
    {
        Points = points;
        Values = values;
        Numbers = numbers;
        Running = running;
        Omitted = omitted;
    }

    /// <summary>The encoded points of the trials with a result, in trial order.</summary>
    public IReadOnlyList<double[]> Points { get; }

    /// <summary>Their standardised values (lower is better).</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>Their trial numbers.</summary>
    public IReadOnlyList<int> Numbers { get; }

    /// <summary>The encoded points of the running trials.</summary>
    public IReadOnlyList<double[]> Running { get; }

    /// <summary>How many results were left out to keep at most maxResults.</summary>
    public int Omitted { get; }

    public static GpObservations From(GpEncoding encoding, IReadOnlyList<Trial> history, bool logScale, int maxResults = int.MaxValue)
    {
        var points = new List<double[]>();
        var raw = new List<double>();
        var numbers = new List<int>();
        var running = new List<double[]>();
        foreach (var trial in history)
        {
            var x = encoding.Encode(trial.Config);
            if (x is null)
            {
                continue;
            }

            if (trial.State == TrialState.Running)
            {
                running.Add(x);
            }
            else if (trial.State is TrialState.Completed or TrialState.Stopped or TrialState.Diverged)
            {
                points.Add(x);
                raw.Add(trial.State == TrialState.Diverged || trial.DivergedAtEpoch is not null ? double.NaN : Result(trial));
                numbers.Add(trial.Number);
            }
        }

        var omitted = Math.Max(0, points.Count - maxResults);
        if (omitted > 0)
        {
            var kept = Kept(raw, maxResults);
            (points, raw, numbers) = ([.. kept.Select(i => points[i])], [.. kept.Select(i => raw[i])], [.. kept.Select(i => numbers[i])]);
        }

        return new GpObservations(points, Standardise(raw, logScale), numbers, running, omitted);
    }

    /// <summary>The indexes of the results kept, in history order: the best half (a diverged or unusable value counts as
    /// the worst; ties by order), then the newest until <paramref name="max"/>.</summary>
    private static List<int> Kept(List<double> raw, int max)
    {
        var keep = new HashSet<int>(Enumerable.Range(0, raw.Count)
            .OrderBy(i => double.IsFinite(raw[i]) ? raw[i] : double.PositiveInfinity).ThenBy(i => i)
            .Take(max / 2));
        for (var i = raw.Count - 1; keep.Count < max; i--)
        {
            keep.Add(i);
        }

        return [.. keep.Order()];
    }

    /// <summary>The value a trial ended on: the final value, else the last recorded one; NaN when it has none.</summary>
    public static double Result(Trial trial) =>
        trial.FinalValue ?? (trial.Values.Count > 0 ? trial.Values.MaxBy(v => v.Epoch)!.Value : double.NaN);

    private static List<double> Standardise(List<double> raw, bool logScale)
    {
        var finite = raw.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
        {
            return raw.Select(_ => 0.0).ToList();
        }

        var useLog = logScale && finite.All(v => v > 0);
        var worst = finite.Max();
        var values = raw.Select(v => double.IsFinite(v) ? v : worst).Select(v => useLog ? Math.Log(v) : v).ToList();
        var mean = values.Average();
        var deviation = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
        var scale = Math.Max(deviation, 1e-10);
        return values.Select(v => (v - mean) / scale).ToList();
    }
}
