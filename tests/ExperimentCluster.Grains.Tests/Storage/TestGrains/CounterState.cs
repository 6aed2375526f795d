namespace ExperimentCluster.Grains.Tests.Storage.TestGrains;

public sealed class CounterState
{
    public int Value { get; set; }

    public List<string> Hosts { get; set; } = [];
}
