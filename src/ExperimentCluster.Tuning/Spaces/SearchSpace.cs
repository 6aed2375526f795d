namespace ExperimentCluster.Tuning;

/// <summary>The swept parameters, in the order the sweep file lists them (the grid's order). Validated on construction:
/// a bad space throws <see cref="TuningException"/> naming <c>search.space.NAME</c>.</summary>
public sealed record SearchSpace
{
    public SearchSpace(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            if (parameter is null || string.IsNullOrWhiteSpace(parameter.Name))
            {
                throw new TuningException("search.space", "a parameter has no name");
            }

            var field = $"search.space.{parameter.Name}";
            if (!names.Add(parameter.Name))
            {
                throw new TuningException(field, "is listed twice");
            }

            if (parameter.Domain is null)
            {
                throw new TuningException(field, "has no values or range");
            }

            parameter.Domain.Validate(field);
        }

        Parameters = parameters.ToArray();
        double size = 1;
        foreach (var parameter in Parameters)
        {
            size *= parameter.Domain is ValuesDomain values ? values.Values.Count : double.PositiveInfinity;
        }

        GridSize = size;
    }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The number of grid points: the product of the value counts; infinity when any parameter is a range.</summary>
    public double GridSize { get; }

    /// <summary>The parameter called <paramref name="name"/>, or null.</summary>
    public Parameter? Find(string name) => Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>Whether <paramref name="config"/> gives every parameter a value of its domain, and nothing else.</summary>
    public bool Contains(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Count == Parameters.Count
            && Parameters.All(p => config.TryGetValue(p.Name, out var value) && p.Domain.Contains(value));
    }

    public bool Equals(SearchSpace? other) => other is not null && Parameters.SequenceEqual(other.Parameters);

    public override int GetHashCode() => Parameters.Aggregate(0, (hash, p) => HashCode.Combine(hash, p));
}
