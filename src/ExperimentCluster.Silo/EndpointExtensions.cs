using ExperimentCluster.Contracts;
using Orleans.Dashboard;

namespace ExperimentCluster.Silo;

/// <summary>The HTTP surface of a silo: health, the Orleans dashboard and the experiments API.</summary>
public static class EndpointExtensions
{
    public static WebApplication MapExperimentEndpoints(this WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        app.MapOrleansDashboard("/dashboard");

        var api = app.MapGroup("/api");
        api.MapGet("/sweeps", async (IGrainFactory grains) =>
        {
            var ids = await grains.SweepIndex().ListAsync();
            var views = await Task.WhenAll(ids.Select(id => grains.Sweep(id).GetState()));
            return Results.Ok(views.Where(v => v is not null));
        });
        api.MapGet("/sweeps/{id}", async (string id, IGrainFactory grains) =>
            await grains.Sweep(id).GetResultsAsync() is { } results ? Results.Ok(results) : Results.NotFound(new { error = $"id: no sweep '{id}'" }));
        api.MapGet("/sweeps/{id}/runs/{number:int}", async (string id, int number, int? points, IGrainFactory grains) =>
            await grains.Run(id, number).GetDetailAsync(points ?? 0) is { } detail ? Results.Ok(detail) : Results.NotFound(new { error = $"run: no run {number} in '{id}'" }));
        api.MapPost("/sweeps/{id}", async (string id, HttpRequest request, IGrainFactory grains) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var result = await grains.Sweep(id).SubmitAsync(body);
            return result.Error is null ? Results.Ok(result.Sweep) : Results.BadRequest(new { error = result.Error });
        });
        api.MapPost("/sweeps/{id}/cancel", async (string id, IGrainFactory grains) => Results.Ok(await grains.Sweep(id).CancelAsync()));
        api.MapPost("/sweeps/{id}/resume", async (string id, IGrainFactory grains) => Results.Ok(await grains.Sweep(id).ResumeAsync()));
        return app;
    }
}
