namespace ExperimentCluster.Grains;

public sealed class SweepIndexState
{
    public List<string> Ids { get; set; } = [];
}
