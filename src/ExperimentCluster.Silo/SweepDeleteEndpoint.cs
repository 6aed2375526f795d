using ExperimentCluster.Contracts;

namespace ExperimentCluster.Silo;

/// <summary>
/// `DELETE /api/sweeps/{id}`: removes a sweep and everything stored for it (token-gated like every write). 200 with what
/// was removed; 404 for an unknown id; 409 for a running sweep (cancel or pause it first).
/// </summary>
public static class SweepDeleteEndpoint
{
    public static RouteGroupBuilder MapSweepDeleteEndpoint(this RouteGroupBuilder api)
    {
        // Asked of the grain directly, not after a GetState: a sweep whose delete a crash cut short no longer shows, and
        // deleting it again is what finishes it.
        api.MapDelete("/sweeps/{id}", async (string id, IGrainFactory grains) => Answer(await grains.Sweep(id).DeleteAsync()));
        return api;
    }

    private static IResult Answer(SweepDeletion deletion) =>
        deletion.Error is null ? Results.Ok(deletion)
        : deletion.Error.StartsWith("id:", StringComparison.Ordinal) ? Results.NotFound(new ApiError(deletion.Error))
        : Results.Conflict(new ApiError(deletion.Error));
}
