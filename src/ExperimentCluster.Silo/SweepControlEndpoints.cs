using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Silo;

/// <summary>`POST /api/sweeps/{id}/pause` and `/retry` (the existing `/resume` continues a paused sweep).</summary>
public static class SweepControlEndpoints
{
    private const long MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapSweepControlEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/sweeps/{id}/pause", async (string id, IGrainFactory grains) =>
            await grains.Sweep(id).GetState() is null ? NoSweep(id) : Answer(await grains.Sweep(id).PauseAsync()));
        api.MapPost("/sweeps/{id}/retry", async (string id, HttpRequest request, IGrainFactory grains) =>
        {
            var body = await SweepBody.ReadAsync(request, MaxBodyBytes);
            if (body.TooLarge is { } tooLarge)
                return Results.BadRequest(new ApiError("body: " + tooLarge));
            if (body.Invalid is { } invalid)
                return Results.BadRequest(new ApiError(invalid));
            var (retry, error) = ReadRetry(body.Text!);
            if (retry is null)
                return Results.BadRequest(new ApiError(error!));
            return await grains.Sweep(id).GetState() is null ? NoSweep(id) : Answer(await grains.Sweep(id).RetryAsync(retry));
        });
        return api;
    }

    /// <summary>{"failed": bool, "diverged": bool, "runs": [n, ...]}, every field optional; anything else is named.</summary>
    public static (RetryRequest? Request, string? Error) ReadRetry(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text.Length == 0 ? "{}" : text);
        }
        catch (JsonException e)
        {
            return (null, "body: not JSON: " + e.Message);
        }
        if (node is not JsonObject body)
            return (null, "body: must be a JSON object such as {\"diverged\": true} or {\"runs\": [3, 7]}");
        bool failed = false, diverged = false;
        List<int>? runs = null;
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "failed" or "diverged":
                    if (value?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                        return (null, $"{key}: must be true or false");
                    if (key == "failed") failed = value.GetValue<bool>(); else diverged = value.GetValue<bool>();
                    break;
                case "runs":
                    if (value is not JsonArray array)
                        return (null, "runs: must be a list of run numbers such as [3, 7]");
                    runs = [];
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is not JsonValue v || !v.TryGetValue<int>(out var n))
                            return (null, $"runs[{i}]: {array[i]?.ToJsonString() ?? "null"} is not a run number (a whole number from 0)");
                        runs.Add(n);
                    }
                    break;
                default:
                    return (null, $"{key}: not a field of a retry (failed, diverged, runs)");
            }
        }
        return (new RetryRequest(failed, diverged, runs), null);
    }

    /// <summary>An error from the grain: a sweep in the wrong state is a conflict, a bad choice of runs a bad request.</summary>
    private static IResult Answer(SweepChange change) =>
        change.Error is null ? Results.Ok(change)
        : change.Error.StartsWith("status:", StringComparison.Ordinal) ? Results.Conflict(new ApiError(change.Error))
        : Results.BadRequest(new ApiError(change.Error));

    private static IResult NoSweep(string id) => Results.NotFound(new ApiError($"id: no sweep '{id}'"));
}
