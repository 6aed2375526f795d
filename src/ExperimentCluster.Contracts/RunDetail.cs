namespace ExperimentCluster.Contracts;

/// <summary>A run with its trainer settings and its trajectory (possibly downsampled), and the attempts a retry replaced.</summary>
[GenerateSerializer, Immutable, Alias("RunDetail")]
public sealed record RunDetail(
    [property: Id(0)] RunView Run,
    [property: Id(1)] string SpecJson,
    [property: Id(2)] IReadOnlyList<EpochRecord> Metrics,
    [property: Id(3)] long? DivergedAtStep,
    [property: Id(4)] IReadOnlyList<RunAttempt>? EarlierAttempts = null);
