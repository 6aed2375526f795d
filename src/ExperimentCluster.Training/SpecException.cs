namespace ExperimentCluster.Training;

/// <summary>A bad training option: <see cref="Field"/> is its snake_case JSON name, so that every surface can point at what to fix.</summary>
public sealed class SpecException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;
}
