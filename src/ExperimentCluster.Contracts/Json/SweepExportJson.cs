using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>
/// A sweep's full export (`excl export --format json`, `/api/sweeps/{id}/export.json`, summary.json of `excl run`):
/// the summary, the per-value table and every epoch of every run.
/// </summary>
public sealed record SweepExportJson(
    string SweepId,
    string Name,
    SweepStatus Status,
    double? BestValLoss,
    int? BestRun,
    string Explanation,
    IReadOnlyList<ValueSummaryJson> PerValue,
    IReadOnlyList<ExportRunJson> Runs,
    // Last and optional, so that readers of the older export see the same keys in the same order.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Answer = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImportanceView? Importance = null)
{
    public static SweepExportJson From(SweepResults results, IEnumerable<RunDetail> runs) => new(
        results.Sweep.Id,
        results.Sweep.Name,
        results.Sweep.Status,
        results.Sweep.BestValLoss,
        results.Sweep.BestRun,
        results.Explanation,
        results.PerValue.Select(ValueSummaryJson.From).ToList(),
        runs.OrderBy(r => r.Run.Number).Select(ExportRunJson.From).ToList(),
        results.Answer,
        results.Insight?.Importance);
}
