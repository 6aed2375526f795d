namespace ExperimentCluster.Grains.Placement;

/// <summary>Places a new activation on the silo with the most free training slots (see <see cref="FreeSlotPlacementDirector"/>).</summary>
[GenerateSerializer, Immutable, Alias("FreeSlotPlacement")]
public sealed class FreeSlotPlacement : PlacementStrategy
{
    public static FreeSlotPlacement Instance { get; } = new();
}
