using Orleans.Runtime.Placement;

namespace ExperimentCluster.Grains.Placement;

/// <summary>
/// Sends a new run to the compatible silo with the most free training slots (ties broken at random), so that a
/// sweep keeps every silo busy and a silo that joins mid-sweep takes the next runs. When every silo is full it
/// picks the one with the shortest queue per slot. A silo that has not reported yet (it just joined) counts as
/// having one free slot: it gets work, but does not swallow a whole burst before its first report.
/// </summary>
public sealed class FreeSlotPlacementDirector(SlotTable table) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        SiloAddress? best = null;
        var bestScore = double.NegativeInfinity;
        var ties = 0;
        foreach (var silo in silos)
        {
            var score = table.Estimate(silo) is { } e
                ? (e.Free > 0 ? e.Free : (double)e.Free / Math.Max(1, e.Capacity))
                : 1;
            if (score > bestScore)
            {
                (best, bestScore, ties) = (silo, score, 1);
            }
            else if (score == bestScore && Random.Shared.Next(++ties) == 0)
            {
                best = silo;
            }
        }
        var chosen = best ?? context.LocalSilo;
        table.Placed(chosen);
        return Task.FromResult(chosen);
    }
}
