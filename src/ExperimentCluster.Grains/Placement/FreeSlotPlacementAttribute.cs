namespace ExperimentCluster.Grains.Placement;

/// <summary>Marks a grain class whose activations should go where a training slot is free.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class FreeSlotPlacementAttribute() : PlacementAttribute(FreeSlotPlacement.Instance);
