namespace ExperimentCluster.Tuning;

/// <summary>The values one parameter may take. Values are canonical JSON text (<c>"0.01"</c>, <c>"\"relu\""</c>, <c>"[32,32]"</c>).</summary>
public abstract record Domain
{
    private protected Domain()
    {
    }

    /// <summary>Whether this is a range (uniform, log-uniform, integer) rather than a list of values.</summary>
    public abstract bool IsRange { get; }

    /// <summary>Whether <paramref name="jsonText"/> is a value of this domain.</summary>
    public abstract bool Contains(string jsonText);

    internal abstract void Validate(string field);
}
