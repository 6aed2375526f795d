namespace ExperimentCluster.Grains.Tests.Storage;

/// <summary>Runs the cluster tests one at a time: several clusters at once on two cores starve membership probes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterTestGroup
{
    public const string Name = "sqlite clusters";
}
