using System.Text;
using ExperimentCluster.SweepModel;

namespace ExperimentCluster.Silo;

/// <summary>A submitted sweep file read from a request body, never more than the size limit (one byte past it, to know).</summary>
public sealed record SweepBody(string? Text, string? Error)
{
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
        return new SweepBody(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
    }
}
