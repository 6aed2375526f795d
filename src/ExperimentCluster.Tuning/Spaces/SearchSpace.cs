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
        foreach (var parameter in Parameters.Where(p => p.When is not null))
        {
            ValidateCondition(parameter);
        }

        HasConditions = Parameters.Any(p => p.When is not null);
        GridSize = CountPoints(p => p.Domain is ValuesDomain values ? values.Values.Count : double.PositiveInfinity);
    }

    /// <summary>Whether a parameter is conditional (<see cref="Parameter.When"/>).</summary>
    public bool HasConditions { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The number of grid points: the product of the value counts, a conditional parameter counting once where it is
    /// inactive; infinity when any parameter is a range.</summary>
    public double GridSize { get; }

    /// <summary>The parameter called <paramref name="name"/>, or null.</summary>
    public Parameter? Find(string name) => Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>Whether <paramref name="config"/> gives every active parameter a value of its domain, and nothing else (an
    /// inactive one may be absent, or hold a value of its domain, as configurations made before it was conditional do).</summary>
    public bool Contains(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Keys.All(k => Find(k) is not null)
            && Parameters.All(p => config.TryGetValue(p.Name, out var value) ? p.Domain.Contains(value) : !IsActive(p, config));
    }

    /// <summary>Whether <paramref name="config"/> reads <paramref name="parameter"/>: it is unconditional, or its condition's
    /// choice holds one of the condition's values.</summary>
    public static bool IsActive(Parameter parameter, IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(config);
        return parameter.When is not { } when || (config.TryGetValue(when.Choice, out var choice) && when.Holds(choice));
    }

    /// <summary>The configuration of <paramref name="values"/> without the parameters it does not read: what every strategy
    /// proposes, so that two proposals that train the same run are the same configuration.</summary>
    public TrialConfig Prune(IEnumerable<KeyValuePair<string, string>> values)
    {
        var config = new TrialConfig(values);
        return HasConditions && Parameters.Any(p => config.ContainsKey(p.Name) && !IsActive(p, config))
            ? new TrialConfig(config.Where(kv => Find(kv.Key) is not { } p || IsActive(p, config)))
            : config;
    }

    /// <summary>The number of points, given each parameter's count of values: the product, except that a conditional
    /// parameter counts once for the choices that do not read it (summed over the values of the parameters conditions name).</summary>
    internal double CountPoints(Func<Parameter, double> count)
    {
        if (!HasConditions)
        {
            return Parameters.Aggregate(1.0, (size, p) => size * count(p));
        }

        var choices = Parameters.Where(p => Parameters.Any(q => q.When?.Choice == p.Name)).ToArray();
        var others = Parameters.Except(choices).ToArray();
        IEnumerable<Dictionary<string, string>> assignments = [new Dictionary<string, string>(StringComparer.Ordinal)];
        foreach (var choice in choices)
        {
            var values = ((ValuesDomain)choice.Domain).Values;
            assignments = assignments.SelectMany(a => values.Select(v => new Dictionary<string, string>(a, StringComparer.Ordinal) { [choice.Name] = v }));
        }

        return assignments.Sum(a => others.Aggregate(1.0, (size, p) => size * (IsActive(p, a) ? count(p) : 1)));
    }

    private void ValidateCondition(Parameter parameter)
    {
        var when = parameter.When!;
        var field = $"search.space.{parameter.Name}.when";
        if (string.Equals(when.Choice, parameter.Name, StringComparison.Ordinal))
        {
            throw new TuningException(field, "a parameter cannot depend on itself");
        }

        if (Find(when.Choice) is not { } choice)
        {
            throw new TuningException(field, $"'{when.Choice}' is not a parameter of the space; a condition names a swept list (search.space.NAME.values)");
        }

        if (choice.Domain is not ValuesDomain values)
        {
            throw new TuningException(field, $"'{when.Choice}' is a range; a condition names a swept list of values");
        }

        if (choice.When is not null)
        {
            throw new TuningException(field, $"'{when.Choice}' is conditional itself; a condition names an unconditional parameter");
        }

        if (when.Values.Count == 0)
        {
            throw new TuningException(field, "lists no values");
        }

        foreach (var value in when.Values.Where(v => values.IndexOf(v) < 0))
        {
            throw new TuningException(field, $"{value} is not one of {when.Choice}'s values ({string.Join(", ", values.Values)})");
        }
    }

    public bool Equals(SearchSpace? other) => other is not null && Parameters.SequenceEqual(other.Parameters);

    public override int GetHashCode() => Parameters.Aggregate(0, (hash, p) => HashCode.Combine(hash, p));
}
