using System.Text;
using ExperimentCluster.Contracts;
using ExperimentCluster.Contracts.Json;
using ExperimentCluster.SweepModel;
using Orleans.Dashboard;

namespace ExperimentCluster.Silo;

/// <summary>The HTTP surface of a silo: health, the experiments page, the Orleans dashboard, /metrics and the experiments API.</summary>
public static class EndpointExtensions
{
    /// <summary>Curves of more runs than this are fetched from the run grains this many at a time.</summary>
    private const int FetchBatch = 256;

    /// <summary>A log request's characters without ?max, and the most one may ask for (the run grain's own limit).</summary>
    private const int DefaultLogChars = 65_536;
    private const int MaxLogChars = 1 << 20;

    public static WebApplication MapExperimentEndpoints(this WebApplication app)
    {
        var gate = app.Services.GetRequiredService<TokenGate>();
        var metrics = app.Services.GetRequiredService<SiloMetrics>();
        var maxBytes = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HttpSettings>>().Value.MaxSweepFileBytes;
        // No Urls at all (a silo started outside its folder, without appsettings.json) is Kestrel's localhost:5000.
        var urls = app.Configuration["Urls"] ?? "";
        if (!gate.Enabled && urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(u => !u.Contains("127.0.0.1", StringComparison.Ordinal) && !u.Contains("localhost", StringComparison.Ordinal)))
            app.Logger.LogWarning("HTTP listens beyond loopback ({Urls}) without Http:Token: anyone who reaches it can cancel sweeps", urls);

        app.UseApiErrors();
        app.UseResponseCompression();
        app.Use((context, next) => gate.InvokeAsync(context, next));
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/dashboard"), branch => branch.Use((context, next) =>
        {
            // The dashboard's pages get the experiments page's policy: it has no authentication of its own either.
            PageFiles.AddSecurityHeaders(context.Response);
            return next(context);
        }));
        app.UseWhen(c => c.Request.Path == "/metrics", branch => branch.Use(async (context, next) =>
        {
            await metrics.RefreshAsync();
            await next(context);
        }));
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = PageFiles.Provider,
            OnPrepareResponse = f => PageFiles.AddHeaders(f.Context.Response),
        });

        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        app.MapGet("/", (HttpContext context) => PageFiles.WriteAsync(context, "index.html"));
        app.MapOrleansDashboard("/dashboard");
        app.MapPrometheusScrapingEndpoint("/metrics");

        var api = app.MapGroup("/api");
        api.MapPost("/session", (HttpContext context) =>
        {
            // Only reached with the bearer header (the gate stops the rest): the cookie lets the browser open the dashboard.
            if (gate.Enabled)
                TokenGate.AppendSessionCookie(context.Response, gate.SessionValue());
            return Results.Ok(new { token = gate.Enabled });
        });
        api.MapGet("/sweeps", async (IGrainFactory grains) =>
        {
            var ids = await grains.SweepIndex().ListAsync();
            var views = await Task.WhenAll(ids.Select(id => grains.Sweep(id).GetState()));
            return Results.Ok(views.Where(v => v is not null).OrderByDescending(v => v!.CreatedAt).ToList());
        });
        api.MapGet("/sweeps/{id}", async (string id, int? top, IGrainFactory grains, SiloReach reach) =>
        {
            if (await grains.Sweep(id).GetResultsAsync() is not { } results)
                return NoSweep(id);
            return Results.Ok(reach.Serve(top is { } n and >= 0 ? results with { Leaderboard = results.Leaderboard.Take(n).ToList() } : results));
        });
        api.MapGet("/sweeps/{id}/curves", async (string id, int? points, string? runs, bool? active, IGrainFactory grains) =>
        {
            if (await grains.Sweep(id).GetResultsAsync() is not { } results)
                return NoSweep(id);
            var wanted = results.Leaderboard.AsEnumerable();
            if (active == true)
                wanted = wanted.Where(r => !r.Status.IsFinished());
            if (runs is not null)
            {
                var numbers = runs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(s => int.TryParse(s, out var n) ? n : -1).ToHashSet();
                wanted = wanted.Where(r => numbers.Contains(r.Number));
            }
            // Without ?points the server picks: whole curves for small sweeps, 40 points each for 1,000 runs.
            var max = Math.Clamp(points ?? DefaultPoints(results.Leaderboard.Count), 2, 10_000);
            var details = new List<RunDetail>();
            foreach (var batch in wanted.Select(r => r.Number).Order().Chunk(FetchBatch))
                details.AddRange((await Task.WhenAll(batch.Select(n => grains.Run(id, n).GetDetailAsync(max)))).Where(d => d is not null)!);
            return Results.Ok(CurvesJson.From(results.Sweep, max, details));
        });
        api.MapGet("/sweeps/{id}/runs/{number:int}", async (string id, int number, int? points, IGrainFactory grains) =>
            await grains.Run(id, number).GetDetailAsync(points ?? 0) is { } detail ? Results.Ok(RunDetailJson.From(detail)) : Results.NotFound(new ApiError($"run: no run {number} in '{id}'")));
        api.MapGet("/sweeps/{id}/runs/{number:int}/log", async (string id, int number, long? from, int? max, IGrainFactory grains) =>
        {
            if (from is < 0)
                return Results.BadRequest(new ApiError($"from: {from} is below 0 (an offset in the run's output)"));
            if (max is < 1 or > MaxLogChars)
                return Results.BadRequest(new ApiError($"max: {max} is not from 1 to {MaxLogChars}"));
            // The state first: an unknown run answers 404, not an empty log.
            if (await grains.Run(id, number).GetState() is null)
                return Results.NotFound(new ApiError($"run: no run {number} in '{id}'"));
            return Results.Ok(RunLogJson.From(await grains.Run(id, number).GetLogAsync(from ?? 0, max ?? DefaultLogChars)));
        });
        api.MapGet("/sweeps/{id}/export.csv", async (string id, IGrainFactory grains) =>
            await SweepExport.FetchAsync(grains, id) is { } e
                ? Results.File(Encoding.UTF8.GetBytes(SweepExport.Csv(e.Results, e.Runs)), "text/csv", $"{DownloadName.Of(id)}.csv")
                : NoSweep(id));
        api.MapGet("/sweeps/{id}/export.json", async (string id, IGrainFactory grains) =>
            await SweepExport.FetchAsync(grains, id) is { } e
                ? Results.File(Encoding.UTF8.GetBytes(ExclJson.Document(SweepExportJson.From(e.Results, e.Runs))), "application/json", $"{DownloadName.Of(id)}.json")
                : NoSweep(id));
        api.MapPost("/sweeps/{id}", async (string id, HttpRequest request, IGrainFactory grains) =>
        {
            if (SweepId.Problem(id) is { } badId)
                return Results.BadRequest(new ApiError("id: " + badId));
            var body = await SweepBody.ReadAsync(request, maxBytes);
            if (body.ErrorResult() is { } refused)
                return refused;
            var result = await grains.Sweep(id).SubmitAsync(body.Text!);
            return result.Error is null ? Results.Ok(result.Sweep) : Results.BadRequest(new ApiError(result.Error));
        });
        api.MapGet("/compare", (string? ids, IGrainFactory grains, SiloReach reach) => SweepCompareEndpoint.GetAsync(ids, grains, reach));
        // A change to a running sweep (SweepEdit's document); every change is kept as an event, listed by GET .../edits.
        api.MapPatch("/sweeps/{id}", async (string id, HttpRequest request, IGrainFactory grains) =>
        {
            if (await grains.Sweep(id).GetState() is null)
                return NoSweep(id);
            var body = await SweepBody.ReadAsync(request, maxBytes);
            if (body.ErrorResult() is { } refused)
                return refused;
            var result = await grains.Sweep(id).EditAsync(body.Text!);
            return result.Error is null ? Results.Ok(new { result.Sweep, result.Edits }) : Results.BadRequest(new ApiError(result.Error));
        });
        api.MapGet("/sweeps/{id}/edits", async (string id, IGrainFactory grains) =>
            await grains.Sweep(id).GetEditsAsync() is { } edits ? Results.Ok(edits) : NoSweep(id));
        api.MapPost("/sweeps/{id}/cancel", async (string id, IGrainFactory grains) =>
            await grains.Sweep(id).GetState() is null ? NoSweep(id) : Results.Ok(await grains.Sweep(id).CancelAsync()));
        api.MapPost("/sweeps/{id}/resume", async (string id, IGrainFactory grains) =>
            await grains.Sweep(id).GetState() is null ? NoSweep(id) : Results.Ok(await grains.Sweep(id).ResumeAsync()));
        api.MapSweepControlEndpoints();
        api.MapRunModelEndpoint();
        api.MapSweepDeleteEndpoint();
        return app;
    }

    private static int DefaultPoints(int runs) => runs <= 100 ? 200 : runs <= 300 ? 100 : 40;

    private static IResult NoSweep(string id) => Results.NotFound(new ApiError($"id: no sweep '{id}'"));
}
