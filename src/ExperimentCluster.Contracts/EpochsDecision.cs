namespace ExperimentCluster.Contracts;

/// <summary>The sweep's answer to several epochs: the decision after the last one it counted, and how many it counted
/// (all of them, or up to and including the one where it said stop; the rest are dropped by the run).</summary>
[GenerateSerializer, Immutable, Alias("EpochsDecision")]
public sealed record EpochsDecision(
    [property: Id(0)] RunDecision Decision,
    [property: Id(1)] int Counted);
