namespace ExperimentCluster.Tuning;

/// <summary>A list of values (categorical). An ordered list of numbers is still categorical: a grid tries each one.
/// Values are canonicalised (<c>"0.010"</c> becomes <c>"0.01"</c>, whitespace goes) so that configurations compare by value.</summary>
public sealed record ValuesDomain(IReadOnlyList<string> Values) : Domain
{
    private Dictionary<string, int>? _index;

    public IReadOnlyList<string> Values { get; } = JsonText.CanonicalizeAll(Values);

    public override bool IsRange => false;

    public override bool Contains(string jsonText) => IndexOf(jsonText) >= 0;

    /// <summary>The position of <paramref name="jsonText"/> in <see cref="Values"/>, compared as canonical JSON; -1 when absent.</summary>
    public int IndexOf(string jsonText)
    {
        // Strategies look values up once per trial of the history on every call: keep that a hash lookup.
        var index = _index ??= BuildIndex(Values);
        if (jsonText is null)
        {
            return -1;
        }

        if (index.TryGetValue(jsonText, out var position))
        {
            return position;
        }

        var canonical = JsonText.TryCanonicalize(jsonText);
        return canonical is not null && index.TryGetValue(canonical, out position) ? position : -1;
    }

    private static Dictionary<string, int> BuildIndex(IReadOnlyList<string> values)
    {
        var index = new Dictionary<string, int>(values.Count, StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            index.TryAdd(values[i], i);
        }

        return index;
    }

    internal override void Validate(string field)
    {
        if (Values is null || Values.Count == 0)
        {
            throw new TuningException(field, "needs at least one value");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Values.Count; i++)
        {
            if (JsonText.TryCanonicalize(Values[i]) is null)
            {
                throw new TuningException($"{field}.values[{i}]", $"'{Values[i]}' is not valid JSON");
            }

            if (!seen.Add(Values[i]))
            {
                throw new TuningException($"{field}.values[{i}]", $"{Values[i]} is listed twice");
            }
        }
    }

    public bool Equals(ValuesDomain? other) =>
        other is not null && Values.SequenceEqual(other.Values, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in Values)
        {
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
