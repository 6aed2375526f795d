namespace ExperimentCluster.Contracts;

/// <summary>
/// The answer to a pause, a resume or a retry: the sweep afterwards, or an error naming the field and the reason (then
/// nothing changed). Note: why a request changed nothing although it was not wrong (pausing a paused sweep).
/// Retried: the run numbers that start again as a new attempt.
/// </summary>
[GenerateSerializer, Immutable, Alias("SweepChange")]
public sealed record SweepChange(
    [property: Id(0)] SweepView? Sweep,
    [property: Id(1)] string? Error,
    [property: Id(2)] string? Note = null,
    [property: Id(3)] IReadOnlyList<int>? Retried = null);
