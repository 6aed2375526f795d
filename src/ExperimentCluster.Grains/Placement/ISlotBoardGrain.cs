namespace ExperimentCluster.Grains.Placement;

/// <summary>The cluster's notice board of training slots: every silo posts its own and reads everyone's.</summary>
[Alias("ISlotBoardGrain")]
public interface ISlotBoardGrain : IGrainWithIntegerKey
{
    /// <summary>Records the caller's report and returns the fresh reports of every silo.</summary>
    [Alias("Publish")]
    Task<IReadOnlyList<SlotReport>> PublishAsync(SlotReport report);
}
