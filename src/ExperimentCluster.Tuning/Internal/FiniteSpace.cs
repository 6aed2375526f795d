namespace ExperimentCluster.Tuning;

/// <summary>A space of lists and integer ranges, its points numbered in mixed radix (the last parameter the fastest digit),
/// so that a history maps to point numbers in one pass instead of comparing configurations. With conditional parameters
/// several numbers name one configuration (every value of an inactive parameter): the canonical one, with the inactive
/// digits 0, is the lowest of them, and the only one <see cref="IndexOf"/> gives.</summary>
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
        RawSize = _radix.Aggregate(1.0, (size, r) => size * r);
        Size = space.CountPoints(p => _radix[Array.IndexOf(_parameters, p)]);
    }

    /// <summary>The numbers there are, canonical or not (<see cref="Size"/> without conditions).</summary>
    public double RawSize { get; }

    /// <summary>The space this numbers.</summary>
    public SearchSpace Space { get; }

    /// <summary>The number of points, distinct configurations (a double: it may exceed any integer type).</summary>
    public double Size { get; }

    /// <summary>The finite view of <paramref name="space"/>, or null when a parameter is continuous.</summary>
    public static FiniteSpace? TryCreate(SearchSpace space) =>
        space.Parameters.All(p => p.Domain is ValuesDomain or IntUniformDomain) ? new FiniteSpace(space) : null;

    /// <summary>The configuration numbered <paramref name="index"/>, without the parameters it does not read.</summary>
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

        return Space.Prune(values);
    }

    /// <summary>Whether <paramref name="index"/> is the canonical number of its configuration (see the class).</summary>
    public bool IsCanonical(long index) => !Space.HasConditions || IndexOf(Point(index)) == index;

    /// <summary>The canonical number of the point <paramref name="config"/> is (an inactive parameter, absent or not, as its
    /// first value), or -1 when it is not a point of this space.</summary>
    public long IndexOf(IReadOnlyDictionary<string, string> config)
    {
        if (config.Count > _parameters.Length || RawSize > long.MaxValue / 2 || (config.Count < _parameters.Length && !Space.HasConditions))
        {
            return -1;
        }

        var known = 0;
        long index = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            var present = config.TryGetValue(_parameters[i].Name, out var text);
            known += present ? 1 : 0;
            if (Space.HasConditions && !SearchSpace.IsActive(_parameters[i], config))
            {
                index *= _radix[i];
                continue;
            }

            if (!present || text is null)
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

        // A name the space does not have makes it no point of the space.
        return known == config.Count ? index : -1;
    }

    /// <summary>The points the trials <paramref name="context"/> knows took (see <see cref="TakenPoints"/>).</summary>
    public TakenPoints Taken(SearchContext context) => TakenPoints.Of(context, this);
}
