namespace ExperimentCluster.Grains.Placement;

/// <summary>
/// Holds the latest slot report of each silo in memory. Nothing is stored: if its silo dies, the next publish
/// activates it elsewhere and every silo refills it within one publish interval.
/// </summary>
[GrainType("slot-board")]
[Reentrant]
public sealed class SlotBoardGrain : Grain, ISlotBoardGrain
{
    /// <summary>A silo that has not reported for this long is left out (it is dead or leaving).</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(10);

    private readonly Dictionary<SiloAddress, SlotReport> _reports = [];

    public Task<IReadOnlyList<SlotReport>> PublishAsync(SlotReport report)
    {
        _reports[report.Silo] = report with { At = DateTimeOffset.UtcNow };
        var oldest = DateTimeOffset.UtcNow - Stale;
        foreach (var stale in _reports.Values.Where(r => r.At < oldest).ToList())
            _reports.Remove(stale.Silo);
        return Task.FromResult<IReadOnlyList<SlotReport>>(_reports.Values.ToArray());
    }
}
