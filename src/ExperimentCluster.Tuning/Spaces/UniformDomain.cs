namespace ExperimentCluster.Tuning;

/// <summary>Real numbers drawn uniformly from [<see cref="Low"/>, <see cref="High"/>].</summary>
public sealed record UniformDomain(double Low, double High) : Domain
{
    public override bool IsRange => true;

    public override bool Contains(string jsonText) =>
        JsonText.TryParseNumber(jsonText, out var x) && x >= Low && x <= High;

    internal override void Validate(string field)
    {
        if (!double.IsFinite(Low) || !double.IsFinite(High) || Low >= High)
        {
            throw new TuningException(field, $"uniform needs finite low < high, got [{Low}, {High}]");
        }
    }
}
