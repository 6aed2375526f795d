namespace ExperimentCluster.Tuning;

/// <summary>One swept option, by the name the trainer knows it by (<c>learning_rate</c>, <c>hidden_layers</c>, <c>activation</c>).
/// <see cref="When"/> makes it conditional: a configuration has it only when another parameter takes one of some values.</summary>
public sealed record Parameter(string Name, Domain Domain)
{
    public Condition? When { get; init; }
}

/// <summary>A conditional parameter's condition: it is active, and part of a configuration, only when the list parameter
/// <see cref="Choice"/> takes one of <see cref="Values"/> (canonical JSON texts). Elsewhere the program or trainer does not
/// read it, so every value of it would train the same run: a configuration leaves it out, and a grid counts such points once.</summary>
public sealed class Condition : IEquatable<Condition>
{
    public Condition(string choice, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Choice = choice;
        Values = [.. values.Select(v => JsonText.TryCanonicalize(v) ?? v)];
    }

    public string Choice { get; }

    public IReadOnlyList<string> Values { get; }

    /// <summary>Whether a configuration whose choice holds <paramref name="value"/> reads the parameter.</summary>
    public bool Holds(string value) => Values.Contains(JsonText.TryCanonicalize(value) ?? value, StringComparer.Ordinal);

    public bool Equals(Condition? other) =>
        other is not null && string.Equals(Choice, other.Choice, StringComparison.Ordinal) && Values.SequenceEqual(other.Values, StringComparer.Ordinal);

    public override bool Equals(object? obj) => obj is Condition other && Equals(other);

    public override int GetHashCode() => Values.Aggregate(StringComparer.Ordinal.GetHashCode(Choice), (hash, v) => HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(v)));
}
