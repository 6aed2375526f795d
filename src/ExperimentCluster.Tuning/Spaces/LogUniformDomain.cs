namespace ExperimentCluster.Tuning;

/// <summary>Positive real numbers whose logarithm is uniform on [log <see cref="Low"/>, log <see cref="High"/>] (learning rates).</summary>
public sealed record LogUniformDomain(double Low, double High) : Domain
{
    public override bool IsRange => true;

    public override bool Contains(string jsonText) =>
        JsonText.TryParseNumber(jsonText, out var x) && x >= Low && x <= High;

    internal override void Validate(string field)
    {
        if (!double.IsFinite(Low) || !double.IsFinite(High) || Low <= 0 || Low >= High)
        {
            throw new TuningException(field, $"log_uniform needs 0 < low < high, both finite, got [{Low}, {High}]");
        }
    }
}
