namespace ExperimentCluster.Contracts;

/// <summary>
/// One change to a running sweep (`excl edit`, PATCH /api/sweeps/{id}, the page): the edit it belongs to (1, 2, ...; one
/// edit may change several things), when, where in the sweep file (<c>search.space.learning_rate</c>, <c>max_runs</c>),
/// and the value there before and after as JSON text (null where the file had none, or has none now).
/// </summary>
[GenerateSerializer, Immutable, Alias("SweepEditEvent")]
public sealed record SweepEditEvent(
    [property: Id(0)] int Edit,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Path,
    [property: Id(3)] string? Old,
    [property: Id(4)] string? New);
