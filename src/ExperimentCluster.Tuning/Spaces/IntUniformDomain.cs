namespace ExperimentCluster.Tuning;

/// <summary>Integers in [<see cref="Low"/>, <see cref="High"/>], both included; with <see cref="Log"/> their logarithm is uniform (batch sizes, neurons).</summary>
public sealed record IntUniformDomain(long Low, long High, bool Log = false) : Domain
{
    public override bool IsRange => true;

    public override bool Contains(string jsonText) =>
        JsonText.TryParseInteger(jsonText, out var x) && x >= Low && x <= High;

    internal override void Validate(string field)
    {
        if (Low > High)
        {
            throw new TuningException(field, $"int_uniform needs low <= high, got [{Low}, {High}]");
        }

        if (Log && Low < 1)
        {
            throw new TuningException(field, $"a logarithmic int_uniform needs low >= 1, got {Low}");
        }
    }
}
