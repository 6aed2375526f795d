namespace ExperimentCluster.Contracts;

/// <summary>The list of every sweep in the cluster (key 0). Small: ids only; views come from the sweeps.</summary>
[Alias("ISweepIndexGrain")]
public interface ISweepIndexGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task AddAsync(string sweepId);

    /// <summary>Forgets a deleted sweep; nothing happens for an id that is not listed.</summary>
    [Alias("Remove")]
    Task RemoveAsync(string sweepId);

    [Alias("List"), AlwaysInterleave]
    Task<IReadOnlyList<string>> ListAsync();
}
