using System.Globalization;

namespace ExperimentCluster.Grains.Checkpoints;

/// <summary>
/// The one spelling of a checkpoint's key: <c>SWEEP/RUN/VERSION-NONCE</c>. The version orders a run's checkpoints (older
/// ones are deleted once a newer one is pointed at); the random nonce makes every put a new key, even when two activations
/// of one run (briefly, while a cluster converges) or a run resumed after a crash store the same version: a put can then
/// never overwrite bytes that a stored pointer names. Sweep ids hold no '/' (SweepId's rule), so the key splits cleanly.
/// </summary>
public static class CheckpointKey
{
    /// <summary>A new key for a run's checkpoint <paramref name="version"/>; also returns its last part, the name within the run.</summary>
    public static (string Key, string Name) New(string sweepId, int run, long version)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{version:D12}-{Guid.NewGuid():N}")[..25];
        return (Of(sweepId, run, name), name);
    }

    /// <summary>The key of a checkpoint named <paramref name="name"/> within a run.</summary>
    public static string Of(string sweepId, int run, string name) =>
        string.Create(CultureInfo.InvariantCulture, $"{sweepId}/{run}/{name}");

    /// <summary>The parts of a key; throws <see cref="FormatException"/> for anything else.</summary>
    public static (string SweepId, int Run, string Name, long Version) Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3 || parts[0].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var run)
            || parts[2].IndexOf('-', StringComparison.Ordinal) is var dash && dash <= 0
            || !long.TryParse(parts[2].AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            throw new FormatException($"'{key}' is not a checkpoint key (SWEEP/RUN/VERSION-NONCE)");
        return (parts[0], run, parts[2], version);
    }

    public static long Version(string key) => Parse(key).Version;
}
