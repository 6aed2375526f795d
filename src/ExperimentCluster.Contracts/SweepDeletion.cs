namespace ExperimentCluster.Contracts;

/// <summary>
/// The answer to deleting a sweep: what was removed from storage, or an error naming the field and the reason (then
/// nothing was removed): "id: ..." for an unknown sweep, "status: ..." for a running one. A delete that a crash
/// interrupted and that is asked again counts only what was left.
/// </summary>
[GenerateSerializer, Immutable, Alias("SweepDeletion")]
public sealed record SweepDeletion(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Error,
    [property: Id(2)] int Runs = 0,
    [property: Id(3)] long Epochs = 0,
    [property: Id(4)] int EarlierAttempts = 0,
    [property: Id(5)] int Checkpoints = 0,
    [property: Id(6)] long LogChars = 0);
