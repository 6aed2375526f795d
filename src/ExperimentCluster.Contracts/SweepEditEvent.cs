namespace ExperimentCluster.Contracts;

/// <summary>
/// One change to a running sweep (`excl edit`, PATCH /api/sweeps/{id}, the page): the edit it belongs to (1, 2, ...; one
/// edit may change several things), when, where in the sweep file (<c>search.space.learning_rate</c>, <c>max_runs</c>),
/// the value there before and after as JSON text (null where the file had none, or has none now), and the number of the
/// first run made under it (every run numbered from it on was configured by the edited sweep).
/// </summary>
[GenerateSerializer, Immutable, Alias("SweepEditEvent")]
public sealed record SweepEditEvent(
    [property: Id(0)] int Edit,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Path,
    [property: Id(3)] string? Old,
    [property: Id(4)] string? New,
    [property: Id(5)] int FirstRun);
