namespace ExperimentCluster.Contracts;

/// <summary>One live event of a sweep (an epoch reported or a run finished), numbered so that watchers can poll "after N".</summary>
[GenerateSerializer, Immutable, Alias("SweepEvent")]
public sealed record SweepEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] int Run,
    [property: Id(2)] RunStatus Status,
    [property: Id(3)] EpochRecord? Epoch,
    [property: Id(4)] string? Reason);
