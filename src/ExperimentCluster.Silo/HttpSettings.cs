namespace ExperimentCluster.Silo;

/// <summary>The HTTP surface's security settings (configuration section "Http", e.g. env Http__Token).</summary>
public sealed class HttpSettings
{
    /// <summary>
    /// When set, every request except /health must carry it as "Authorization: Bearer TOKEN" (or, for reads from a
    /// browser, the session cookie the page gets by presenting it once). Changing requests always need the header.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>With a token: whether the page, the read API and /metrics need it too (the dashboard always does).</summary>
    public bool ProtectReads { get; set; } = true;

    /// <summary>The largest sweep file POST /api/sweeps/{id} takes (bytes); larger ones get 413. The CLI refuses at the default.</summary>
    public long MaxSweepFileBytes { get; set; } = ExperimentCluster.SweepModel.SweepLimits.DefaultMaxFileBytes;
}
