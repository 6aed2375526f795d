namespace ExperimentCluster.Grains.Placement;

/// <summary>One silo's training slots as it last published them: capacity, and runs training or waiting for a slot.</summary>
[GenerateSerializer, Immutable, Alias("SlotReport")]
public sealed record SlotReport(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] int Capacity,
    [property: Id(2)] int Busy,
    [property: Id(3)] DateTimeOffset At)
{
    public int Free => Capacity - Busy;
}
