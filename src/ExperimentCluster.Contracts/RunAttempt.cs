namespace ExperimentCluster.Contracts;

/// <summary>
/// An earlier attempt of a run that was retried: how it ended and its whole trajectory. Kept for the history; the
/// run's summary, the leaderboard and the export use the latest attempt only.
/// </summary>
[GenerateSerializer, Immutable, Alias("RunAttempt")]
public sealed record RunAttempt(
    [property: Id(0)] int Attempt,
    [property: Id(1)] RunStatus Status,
    [property: Id(2)] string? Reason,
    [property: Id(3)] int? DivergedAtEpoch,
    [property: Id(4)] double? Result,
    [property: Id(5)] string? Silo,
    [property: Id(6)] int Resumes,
    [property: Id(7)] DateTimeOffset? StartedAt,
    [property: Id(8)] DateTimeOffset? FinishedAt,
    [property: Id(9)] IReadOnlyList<EpochRecord> Metrics);
