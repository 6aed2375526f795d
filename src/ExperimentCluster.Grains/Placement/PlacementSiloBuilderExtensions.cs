using Microsoft.Extensions.DependencyInjection;

namespace ExperimentCluster.Grains.Placement;

public static class PlacementSiloBuilderExtensions
{
    /// <summary>The free-slot placement of runs: the slot table, its publisher and the director.</summary>
    public static ISiloBuilder AddFreeSlotPlacement(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<SlotTable>();
        silo.Services.AddSingleton<SlotPublisher>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SlotPublisher>());
        silo.AddPlacementDirector<FreeSlotPlacement, FreeSlotPlacementDirector>();
        return silo;
    }
}
