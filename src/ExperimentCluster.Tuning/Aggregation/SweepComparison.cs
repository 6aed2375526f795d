namespace ExperimentCluster.Tuning;

/// <summary>
/// What `excl compare` and the page's compare view put side by side, as pure functions of the sweeps' run summaries:
/// each sweep's best-so-far curve against the epochs it consumed, and the per-value summaries of several sweeps aligned
/// on the same (parameter, value) rows.
/// <para>The sweep page's own best-so-far (another branch) should move here, or this there: one home for the curve.</para>
/// </summary>
public static class SweepComparison
{
    /// <summary>One point of a best-so-far curve: after <paramref name="Epochs"/> epochs of training, the best validation
    /// loss any finished run had reached.</summary>
    public sealed record Point(long Epochs, double Best);

    /// <summary>
    /// The best-so-far curve: runs in run order (the order the search chose them), each adding its epochs; after each
    /// run that ended with a finite best validation loss and did not diverge or fail (what the leaderboard counts as a
    /// result), the best of those so far. A point is added only where the best improves, and a last one at the total, so
    /// that curves of sweeps with different budgets end where their spending ended.
    /// <paramref name="startingBest"/> is a best known before any epoch (runs reused by a warm start): the curve then
    /// starts at 0 epochs with it.
    /// </summary>
    public static IReadOnlyList<Point> BestSoFar(IEnumerable<RunSummary> runs, double? startingBest = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var points = new List<Point>();
        double? best = startingBest is { } s && double.IsFinite(s) ? s : null;
        if (best is { } first)
            points.Add(new Point(0, first));
        long epochs = 0;
        foreach (var run in runs.OrderBy(r => r.Number))
        {
            epochs += run.Epochs;
            if (!Counts(run) || run.BestValLoss is not { } value || !double.IsFinite(value))
                continue;
            if (best is null || value < best)
            {
                best = value;
                points.Add(new Point(epochs, value));
            }
        }
        if (best is { } last && points[^1].Epochs < epochs)
            points.Add(new Point(epochs, last));
        return points;
    }

    /// <summary>The best finite best validation loss among <paramref name="runs"/> that count (see <see cref="BestSoFar"/>).</summary>
    public static double? Best(IEnumerable<RunSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var values = runs.Where(Counts).Select(r => r.BestValLoss).OfType<double>().Where(double.IsFinite).ToList();
        return values.Count > 0 ? values.Min() : null;
    }

    /// <summary>
    /// The rows of several sweeps' per-value summaries aligned: one row per (parameter, value) any sweep has, in parameter
    /// order, numbers ascending where all of a parameter's values are numbers (0.1 and 0.10 are one row), otherwise by
    /// text; each row holds every sweep's summary of that value, or null where a sweep has none.
    /// </summary>
    public static IReadOnlyList<(string Parameter, string Value, IReadOnlyList<T?> Cells)> Align<T>(
        IReadOnlyList<IReadOnlyList<T>> perSweep, Func<T, string> parameter, Func<T, string> value)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(perSweep);
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(value);
        string Key(string text) => JsonText.TryCanonicalize(text) ?? text;
        var rows = new List<(string, string, IReadOnlyList<T?>)>();
        var byParameter = perSweep
            .SelectMany((list, sweep) => list.Select(item => (Sweep: sweep, Item: item)))
            .GroupBy(x => parameter(x.Item), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in byParameter)
        {
            var values = group.GroupBy(x => Key(value(x.Item)), StringComparer.Ordinal).ToList();
            var numeric = values.All(v => JsonText.TryParseNumber(v.Key, out _));
            var ordered = numeric
                ? values.OrderBy(v => JsonText.TryParseNumber(v.Key, out var x) ? x : 0)
                : values.OrderBy(v => v.Key, StringComparer.Ordinal);
            foreach (var row in ordered)
            {
                var cells = new T?[perSweep.Count];
                foreach (var (sweep, item) in row)
                    cells[sweep] ??= item;
                rows.Add((group.Key, value(row.First().Item), cells));
            }
        }
        return rows;
    }

    private static bool Counts(RunSummary run) =>
        !string.Equals(run.Status, "Diverged", StringComparison.OrdinalIgnoreCase) && !string.Equals(run.Status, "Failed", StringComparison.OrdinalIgnoreCase);
}
