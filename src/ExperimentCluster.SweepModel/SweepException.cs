namespace ExperimentCluster.SweepModel;

/// <summary>A bad sweep file: Path is where in the file (`search.space.learning_rate.values[2]`), Reason what is wrong.</summary>
public sealed class SweepException(string path, string reason) : Exception($"{path}: {reason}")
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;
}
