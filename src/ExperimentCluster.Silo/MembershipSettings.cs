namespace ExperimentCluster.Silo;

/// <summary>
/// How fast a dead silo is noticed (configuration section "Cluster:Membership"). The defaults declare a killed silo
/// dead in about 4-6 s, so that, with the sweep's 5 s wake interval, its runs continue elsewhere within about 10 s.
/// Shorter timings notice sooner but may evict a live silo that is only slow (a long GC pause, a saturated CPU);
/// deploy/README.md discusses the trade-off.
/// </summary>
public sealed class MembershipSettings
{
    /// <summary>How long one probe of a peer may take before it counts as missed (Orleans' default: 5 s).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes in a row before a silo votes its peer dead (Orleans' default: 3).</summary>
    public int NumMissedProbesLimit { get; set; } = 2;

    /// <summary>Votes needed to declare a silo dead; Orleans lowers it when fewer silos are alive (Orleans' default: 2).</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>How often each silo re-reads the membership table even without gossip (Orleans' default: 60 s).</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a silo waits for its runs to checkpoint and for Orleans to leave the cluster on SIGTERM.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if (ProbeTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"Cluster:Membership:ProbeTimeout: {ProbeTimeout} must be positive");
        if (NumMissedProbesLimit < 1)
            throw new ArgumentException($"Cluster:Membership:NumMissedProbesLimit: {NumMissedProbesLimit} must be 1 or more");
        if (NumVotesForDeathDeclaration < 1)
            throw new ArgumentException($"Cluster:Membership:NumVotesForDeathDeclaration: {NumVotesForDeathDeclaration} must be 1 or more");
        if (TableRefreshTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"Cluster:Membership:TableRefreshTimeout: {TableRefreshTimeout} must be positive");
    }
}
