namespace ExperimentCluster.Contracts;

/// <summary>The sweep's reply to a report: go on, or stop (early stopping or cancel) and why.</summary>
[GenerateSerializer, Immutable, Alias("RunDecision")]
public sealed record RunDecision(
    [property: Id(0)] bool Stop,
    [property: Id(1)] RunStatus StopAs,
    [property: Id(2)] string? Reason)
{
    public static readonly RunDecision Continue = new(false, RunStatus.Running, null);
}
