namespace ExperimentCluster.CommandTrials;

/// <summary>A bad `command` block: <see cref="Field"/> is the path inside the block (`run[2]`, `metric`), which the sweep
/// model prefixes with `command.`.</summary>
public sealed class CommandSpecException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;
}
