namespace ExperimentCluster.Contracts.Json;

/// <summary>`/api/sweeps/{id}/curves`: the sweep at a glance, the points per curve the server chose, and the runs.</summary>
public sealed record CurvesJson(SweepView Sweep, int Points, IReadOnlyList<CurveRunJson> Runs)
{
    public static CurvesJson From(SweepView sweep, int points, IEnumerable<RunDetail> runs) =>
        new(sweep, points, runs.OrderBy(d => d.Run.Number).Select(CurveRunJson.From).ToList());
}
