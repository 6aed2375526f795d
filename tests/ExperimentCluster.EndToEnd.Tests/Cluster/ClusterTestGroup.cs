namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>The multi-process cluster tests run one at a time: each needs the machine's two cores to itself to keep its timings honest.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterTestGroup
{
    public const string Name = "redis-cluster";
}
