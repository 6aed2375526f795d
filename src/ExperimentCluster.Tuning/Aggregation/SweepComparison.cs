namespace ExperimentCluster.Tuning;

/// <summary>
/// What `excl compare` and the page's compare view put side by side besides each sweep's <see cref="BestSoFar"/> curve:
/// the per-value summaries of several sweeps aligned on the same (parameter, value) rows.
/// </summary>
public static class SweepComparison
{
    /// <summary>
    /// The rows of several sweeps' per-value summaries aligned: one row per (parameter, value) any sweep has, in parameter
    /// order, values in <see cref="ValueOrder"/> (0.1 and 0.10 are one row); each row holds every sweep's summary of that
    /// value, or null where a sweep has none.
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
            foreach (var row in ValueOrder.Sort(group.GroupBy(x => Key(value(x.Item)), StringComparer.Ordinal), v => v.Key))
            {
                var cells = new T?[perSweep.Count];
                foreach (var (sweep, item) in row)
                    cells[sweep] ??= item;
                rows.Add((group.Key, value(row.First().Item), cells));
            }
        }
        return rows;
    }
}
