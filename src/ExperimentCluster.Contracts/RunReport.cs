namespace ExperimentCluster.Contracts;

/// <summary>
/// A run's report to its sweep after a chunk: the epoch just checkpointed (null when the run ended without one)
/// and its status; a finished measurement run carries its result, and a completed run whose weights are an earlier
/// epoch's (patience keeps the best epoch's) carries that epoch's record as <c>Model</c>: its final values are that epoch's. Reports are idempotent by (run, epoch): after a crash a run may send one twice. A report of an attempt the sweep has replaced (retried) is ignored.
/// </summary>
[GenerateSerializer, Immutable, Alias("RunReport")]
public sealed record RunReport(
    [property: Id(0)] int Number,
    [property: Id(1)] EpochRecord? Epoch,
    [property: Id(2)] RunStatus Status,
    [property: Id(3)] string? Reason,
    [property: Id(4)] int? DivergedAtEpoch,
    [property: Id(5)] string? Silo,
    [property: Id(6)] int Resumes,
    [property: Id(7)] double? Result = null,
    [property: Id(8)] int Attempt = 1,
    [property: Id(9)] EpochRecord? Model = null);
