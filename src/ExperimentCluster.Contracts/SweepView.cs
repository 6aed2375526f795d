namespace ExperimentCluster.Contracts;

/// <summary>A sweep at a glance: what the list of sweeps and the progress view show. Reason: why a failed sweep failed.</summary>
[GenerateSerializer, Immutable, Alias("SweepView")]
public sealed record SweepView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] SweepStatus Status,
    [property: Id(3)] int PlannedRuns,
    [property: Id(4)] IReadOnlyDictionary<RunStatus, int> Counts,
    [property: Id(5)] double? BestValLoss,
    [property: Id(6)] int? BestRun,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset? FinishedAt,
    [property: Id(9)] long EpochsReported,
    [property: Id(10)] string? Reason = null,
    // How many finished runs of earlier sweeps this sweep took as history (warm_start); they are not among its runs.
    [property: Id(11), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] int Reused = 0)
{
    public int Count(RunStatus status) => Counts.TryGetValue(status, out var n) ? n : 0;

    public int FinishedRuns => Counts.Where(c => c.Key.IsFinished()).Sum(c => c.Value);
}
