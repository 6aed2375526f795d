namespace ExperimentCluster.Grains.Code;

/// <summary>The stored state of one uploaded code archive; written once, never changed.</summary>
public sealed class CodeState
{
    /// <summary>The gzip-compressed tar whose SHA-256 is the grain's key; null until stored.</summary>
    public byte[]? Archive { get; set; }

    public DateTimeOffset? StoredAt { get; set; }
}
