namespace ExperimentCluster.Tuning;

/// <summary>A space of lists and integer ranges, its points numbered in mixed radix (the last parameter the fastest digit),
/// so that a history maps to point numbers in one pass instead of comparing configurations.</summary>
internal sealed class FiniteSpace
{
    private readonly Parameter[] _parameters;
    private readonly long[] _radix;

    private FiniteSpace(SearchSpace space)
    {
        Space = space;
        _parameters = [.. space.Parameters];
        _radix = _parameters.Select(p => p.Domain switch
        {
            ValuesDomain v => (long)v.Values.Count,
            IntUniformDomain i => i.High - i.Low + 1,
            _ => throw new InvalidOperationException("not finite"),
        }).ToArray();
        Size = _radix.Aggregate(1.0, (size, r) => size * r);
    }

    /// <summary>The space this numbers.</summary>
    public SearchSpace Space { get; }

    /// <summary>The number of points (a double: it may exceed any integer type).</summary>
    public double Size { get; }

    /// <summary>The finite view of <paramref name="space"/>, or null when a parameter is continuous.</summary>
    public static FiniteSpace? TryCreate(SearchSpace space) =>
        space.Parameters.All(p => p.Domain is ValuesDomain or IntUniformDomain) ? new FiniteSpace(space) : null;

    public TrialConfig Point(long index)
    {
        var values = new KeyValuePair<string, string>[_parameters.Length];
        for (var i = _parameters.Length - 1; i >= 0; i--)
        {
            var digit = index % _radix[i];
            index /= _radix[i];
            values[i] = new(_parameters[i].Name, _parameters[i].Domain switch
            {
                ValuesDomain v => v.Values[(int)digit],
                IntUniformDomain n => JsonText.FormatInteger(n.Low + digit),
                _ => throw new InvalidOperationException("not finite"),
            });
        }

        return new TrialConfig(values);
    }

    /// <summary>The number of the point <paramref name="config"/> is, or -1 when it is not a point of this space.</summary>
    public long IndexOf(IReadOnlyDictionary<string, string> config)
    {
        if (config.Count != _parameters.Length || Size > long.MaxValue / 2)
        {
            return -1;
        }

        long index = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (!config.TryGetValue(_parameters[i].Name, out var text))
            {
                return -1;
            }

            long digit = _parameters[i].Domain switch
            {
                ValuesDomain v => v.IndexOf(text),
                IntUniformDomain n when n.Contains(text) && JsonText.TryParseInteger(text, out var x) => x - n.Low,
                _ => -1,
            };
            if (digit < 0)
            {
                return -1;
            }

            index = (index * _radix[i]) + digit;
        }

        return index;
    }

    /// <summary>The points the trials <paramref name="context"/> knows took (see <see cref="TakenPoints"/>).</summary>
    public TakenPoints Taken(SearchContext context) => TakenPoints.Of(context, this);
}
