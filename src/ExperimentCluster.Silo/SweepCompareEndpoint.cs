using ExperimentCluster.Contracts;

namespace ExperimentCluster.Silo;

/// <summary>`GET /api/compare?ids=A,B[,...]`: the sweeps side by side (<see cref="SweepComparisonJson"/>).</summary>
public static class SweepCompareEndpoint
{
    public static async Task<IResult> GetAsync(string? ids, IGrainFactory grains, SiloReach reach)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(reach);
        var list = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count is < 2 or > SweepComparisonJson.MaxSweeps)
            return Results.BadRequest(new ApiError($"ids: give 2 to {SweepComparisonJson.MaxSweeps} different sweep ids, comma-separated"));
        var results = await Task.WhenAll(list.Select(id => grains.Sweep(id).GetResultsAsync()));
        for (var i = 0; i < list.Count; i++)
        {
            if (results[i] is null)
                return Results.NotFound(new ApiError($"ids: no sweep '{list[i]}'"));
        }
        // Each answer without its own next step, as on the sweep's page (SiloReach); a comparison prints none.
        return Results.Ok(SweepComparisonJson.From(results.Select(r => reach.Serve(r!)).ToList()));
    }
}
