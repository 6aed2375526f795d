namespace ExperimentCluster.Training;

/// <summary>A bad training option: <see cref="Field"/> is its snake_case JSON name, so that every surface can point at what to fix.</summary>
public sealed class SpecException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;

    /// <summary>"unknown optimizer 'adamm' (did you mean 'adam'?) (known: sgd, momentum, ...)": a name none of the
    /// known ones, with the nearest when it looks like a typo.</summary>
    internal static SpecException UnknownName(string field, string what, string? given, IEnumerable<string> known)
    {
        var names = known.ToList();
        return new SpecException(field, $"unknown {what} '{given}'{Spelling.Hint(given ?? "", names)} (known: {string.Join(", ", names)})");
    }
}
