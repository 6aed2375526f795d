using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>The last line of `excl run --json` and `watch --json`, and the answer of `show --json`.</summary>
public sealed record SweepSummaryLine(
    string SweepId,
    SweepStatus Status,
    int Runs,
    IReadOnlyDictionary<RunStatus, int> Counts,
    double? BestValLoss,
    // The configuration the answer names (SweepResults.BestConfiguration); absent, not null, while it names none: the key
    // has always meant "these won".
    [property: JsonConverter(typeof(JsonTextMapConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, string>? BestHyperparameters,
    IReadOnlyList<DivergedRunJson> Diverged,
    string Explanation,
    // Only for sweeps whose search measured something (lr-range's range tests), so other summaries keep their shape.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RangeTestJson>? RangeTests = null,
    // The one sentence that answers the sweep's question, the same text `excl show` and the page print.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Answer = null,
    // Which hyperparameters mattered (PED-ANOVA shares), the same the page and `excl show` print.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImportanceView? Importance = null,
    // How many runs of earlier sweeps it reused (warm_start); absent when none, so other summaries keep their shape.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Reused = 0)
{
    [JsonPropertyOrder(-1)]
    public string Event => "summary";

    public static SweepSummaryLine From(SweepResults results)
    {
        var s = results.Sweep;
        return new SweepSummaryLine(
            s.Id,
            s.Status,
            s.Counts.Values.Sum(),
            new SortedDictionary<RunStatus, int>(s.Counts.ToDictionary()),
            s.BestValLoss,
            // What the answer names; from a grain of an older version (no answer), the leaderboard's first run that trained.
            results.Answer is null
                ? results.Leaderboard.FirstOrDefault(r => r.Status is not (RunStatus.Diverged or RunStatus.Failed) && r.BestValLoss is not null)?.Config
                : results.BestConfiguration,
            results.Leaderboard.Where(r => r.Status == RunStatus.Diverged).Select(r => new DivergedRunJson(r.Number, r.Config, r.DivergedAtEpoch)).ToList(),
            results.Explanation,
            results.Measurements is { Count: > 0 } measured
                ? measured.Select(m => new RangeTestJson(m.Number, m.Kind!, m.Config, m.Status, m.Result, m.Reason)).ToList()
                : null,
            results.Answer,
            results.Insight?.Importance,
            s.Reused);
    }
}
