namespace ExperimentCluster.Contracts;

/// <summary>The list of every sweep in the cluster (key 0). Small: ids only; views come from the sweeps.</summary>
[Alias("ISweepIndexGrain")]
public interface ISweepIndexGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task AddAsync(string sweepId);

    [Alias("List"), AlwaysInterleave]
    Task<IReadOnlyList<string>> ListAsync();
}
