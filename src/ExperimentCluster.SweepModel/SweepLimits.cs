using System.Globalization;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// How big and how deep a sweep file may be. A real sweep file is a few kilobytes and six levels deep; the limits are far
/// above that and far below what would exhaust memory or the stack of whoever reads it (the CLI, the API, a grain).
/// </summary>
public static class SweepLimits
{
    /// <summary>The default size limit (1 MiB); a silo can change it (Http:MaxSweepFileBytes), the CLI uses this one.</summary>
    public const long DefaultMaxFileBytes = 1024 * 1024;

    /// <summary>Objects and lists inside one another: a sweep needs about six (search.space.layers.values[0][0]).</summary>
    public const int MaxDepth = 32;

    /// <summary>Refuses a file of <paramref name="bytes"/> bytes above <paramref name="maxBytes"/>, before it is read.</summary>
    public static void CheckSize(long bytes, long maxBytes)
    {
        if (bytes > maxBytes)
            throw new SweepException("$", TooLarge(bytes, maxBytes));
    }

    public static string TooLarge(long bytes, long maxBytes) => string.Create(CultureInfo.InvariantCulture,
        $"the sweep file is {(bytes < 0 ? "more than " + maxBytes : bytes.ToString(CultureInfo.InvariantCulture))} bytes, more than the limit of {maxBytes} bytes ({Readable(maxBytes)})");

    private static string Readable(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.##} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.##} KiB");
}
