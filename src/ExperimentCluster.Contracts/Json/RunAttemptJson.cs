namespace ExperimentCluster.Contracts.Json;

/// <summary>An earlier attempt of a retried run in `/api/sweeps/{id}/runs/{n}`: how it ended and its epochs.</summary>
public sealed record RunAttemptJson(
    int Attempt,
    RunStatus Status,
    string? Reason,
    int? DivergedAtEpoch,
    double? Result,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<EpochJson> Epochs)
{
    public static RunAttemptJson From(RunAttempt a) =>
        new(a.Attempt, a.Status, a.Reason, a.DivergedAtEpoch, a.Result, a.StartedAt, a.FinishedAt, a.Metrics.Select(EpochJson.From).ToList());
}
