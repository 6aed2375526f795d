using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains;

/// <summary>The list of sweep ids, newest last.</summary>
[GrainType("sweep-index")]
public sealed class SweepIndexGrain(
    [PersistentState("sweeps", StorageNames.Experiments)] IPersistentState<SweepIndexState> store) : Grain, ISweepIndexGrain
{
    public async Task AddAsync(string sweepId)
    {
        if (store.State.Ids.Contains(sweepId))
            return;
        store.State.Ids.Add(sweepId);
        await store.WriteStateAsync();
    }

    public async Task RemoveAsync(string sweepId)
    {
        if (store.State.Ids.Remove(sweepId))
            await store.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>(store.State.Ids.ToArray());
}
