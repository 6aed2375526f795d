namespace ExperimentCluster.Contracts;

/// <summary>Events after a sequence number; Dropped counts the ones that fell out of the sweep's live buffer.</summary>
[GenerateSerializer, Immutable, Alias("SweepEvents")]
public sealed record SweepEvents(
    [property: Id(0)] IReadOnlyList<SweepEvent> Events,
    [property: Id(1)] long Dropped,
    [property: Id(2)] SweepView Sweep);
