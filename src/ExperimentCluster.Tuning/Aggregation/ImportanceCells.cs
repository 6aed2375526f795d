namespace ExperimentCluster.Tuning;

/// <summary>
/// How one parameter's values map to the cells <see cref="GridDensity"/> works on: a range cut into equal cells on its
/// own scale (logarithmic for log-uniform and log int ranges, so that 1e-4..1e-3 weighs as much as 0.1..1), an integer
/// range into one cell per integer when it has at most <see cref="GridDensity.RangeCells"/> of them, a list of values one
/// cell per value (a value outside the list, from a space edited mid-sweep, gets a cell of its own).
/// </summary>
internal sealed class Cells
{
    private readonly Func<string?, int?> _cellOf;
    private readonly int _count;
    private readonly bool _categorical;

    private Cells(Func<string?, int?> cellOf, int count, bool categorical)
    {
        _cellOf = cellOf;
        _count = count;
        _categorical = categorical;
    }

    /// <summary>The cells for <paramref name="domain"/>, or null when the domain (or the runs) hold one value only.</summary>
    public static Cells? For(Domain domain, IEnumerable<string?> values) => domain switch
    {
        UniformDomain u => Range(u.Low, u.High, log: false, GridDensity.RangeCells),
        LogUniformDomain l => Range(l.Low, l.High, log: true, GridDensity.RangeCells),
        IntUniformDomain i => Range(i.Low, i.High, i.Log, (int)Math.Min(GridDensity.RangeCells, i.High - i.Low + 1)),
        ValuesDomain v => Listed(v, values),
        _ => null,
    };

    public double[] Densities(IEnumerable<string?> values)
    {
        var observed = values.Select(_cellOf).Where(c => c is not null).Select(c => c!.Value).ToList();
        return _categorical ? GridDensity.OfCategories(observed, _count) : GridDensity.OfRange(observed, _count);
    }

    private static Cells? Range(double low, double high, bool log, int count)
    {
        var scale = log ? (Func<double, double>)Math.Log : x => x;
        double lo = scale(low), hi = scale(high);
        if (!(hi > lo) || count < 2)
            return null;
        return new Cells(text =>
        {
            if (!JsonText.TryParseNumber(text, out var x) || (log && x <= 0))
                return null;
            var t = (scale(x) - lo) / (hi - lo);
            return (int)Math.Round(Math.Clamp(t, 0, 1) * (count - 1));
        }, count, categorical: false);
    }

    private static Cells? Listed(ValuesDomain domain, IEnumerable<string?> values)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in domain.Values)
            index.TryAdd(v, index.Count);
        foreach (var v in values.Select(v => JsonText.TryCanonicalize(v) ?? v).Where(v => v is not null).Order(StringComparer.Ordinal))
            index.TryAdd(v!, index.Count);
        if (index.Count < 2)
            return null;
        return new Cells(text => text is not null && index.TryGetValue(JsonText.TryCanonicalize(text) ?? text, out var i) ? i : null, index.Count, categorical: true);
    }
}
