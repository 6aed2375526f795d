using System.Text;
using ExperimentCluster.Contracts.Json;
using ExperimentCluster.SweepModel;

namespace ExperimentCluster.Silo;

/// <summary>
/// A submitted sweep file (or edit document) read from a request body, never more than the size limit (one byte past
/// it, to know): <see cref="TooLarge"/> for 413, <see cref="Invalid"/> for 400. A body sent as YAML (`Content-Type:
/// application/yaml`, as `curl --data-binary @sweep.yaml -H 'Content-Type: application/yaml'` sends the examples' own
/// files) is read into JSON as `excl` reads a .yaml file; anything else is JSON.
/// </summary>
public sealed record SweepBody(string? Text, string? TooLarge, string? Invalid = null)
{
    private static readonly string[] YamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

    public static async Task<SweepBody> ReadAsync(HttpRequest request, long maxBytes)
    {
        if (request.ContentLength is { } declared && declared > maxBytes)
            return new SweepBody(null, SweepLimits.TooLarge(declared, maxBytes));
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length)))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
                return new SweepBody(null, SweepLimits.TooLarge(-1, maxBytes));
        }
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (!IsYaml(request.ContentType))
            return new SweepBody(text, null);
        try
        {
            return new SweepBody(SweepYaml.ToJson(text), null);
        }
        catch (SweepException e)
        {
            return new SweepBody(null, null, e.Message);
        }
    }

    /// <summary>The API's answer to a body it cannot take: 413 for one over the limit, 400 for YAML it cannot read; null for a good one.</summary>
    public IResult? ErrorResult() =>
        TooLarge is { } tooLarge ? Results.Json(new ApiError("body: " + tooLarge), ExclJson.Options, statusCode: StatusCodes.Status413PayloadTooLarge)
        : Invalid is { } invalid ? Results.BadRequest(new ApiError(invalid))
        : null;

    private static bool IsYaml(string? contentType) =>
        contentType is not null && YamlTypes.Contains(contentType.Split(';')[0].Trim(), StringComparer.OrdinalIgnoreCase);
}
