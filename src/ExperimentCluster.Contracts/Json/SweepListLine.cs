namespace ExperimentCluster.Contracts.Json;

/// <summary>One sweep of `excl list --json`.</summary>
public sealed record SweepListLine(
    string SweepId,
    string Name,
    SweepStatus Status,
    int PlannedRuns,
    int FinishedRuns,
    double? BestValLoss,
    DateTimeOffset CreatedAt)
{
    public static SweepListLine From(SweepView v) => new(v.Id, v.Name, v.Status, v.PlannedRuns, v.FinishedRuns, v.BestValLoss, v.CreatedAt);
}
