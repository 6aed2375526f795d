using ExperimentCluster.Contracts;

namespace ExperimentCluster.Silo;

/// <summary>`GET /api/sweeps/{id}/runs/{n}/model`: a built-in run's network as JSON, or a command trial's checkpoint folder
/// as a .tar.gz (<see cref="RunModel"/>); 404 naming why when the run has none.</summary>
public static class RunModelEndpoint
{
    public static RouteGroupBuilder MapRunModelEndpoint(this RouteGroupBuilder api)
    {
        api.MapGet("/sweeps/{id}/runs/{number:int}/model", async (string id, int number, IGrainFactory grains) =>
            await grains.Run(id, number).GetModelAsync() switch
            {
                null => Results.NotFound(new ApiError($"run: no run {number} in '{id}'")),
                { Kind: RunModelKind.Network } model => Results.File(model.Content, "application/json", DownloadName.Model(id, number)),
                { Kind: RunModelKind.Folder } model => Results.File(model.Content, "application/gzip", DownloadName.CheckpointFolder(id, number) + ".tar.gz"),
                var none => Results.NotFound(new ApiError("model: " + none.Problem)),
            });
        return api;
    }
}
