using ExperimentCluster.Contracts;
using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains;

/// <summary>The list of sweep ids, newest last.</summary>
[GrainType("sweep-index")]
public sealed class SweepIndexGrain(
    [PersistentState("sweeps", StorageNames.Experiments)] IPersistentState<SweepIndexState> store,
    IGrainContext context,
    ILogger<SweepIndexGrain> logger) : Grain, ISweepIndexGrain
{
    private readonly RecoveringState<SweepIndexState> _writer = new(context, store, "sweeps", ConflictRules.Index, logger);

    public async Task AddAsync(string sweepId)
    {
        if (store.State.Ids.Contains(sweepId))
            return;
        store.State.Ids.Add(sweepId);
        await _writer.WriteAsync();
    }

    public async Task RemoveAsync(string sweepId)
    {
        if (store.State.Ids.Remove(sweepId))
            await _writer.WriteAsync();
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>(store.State.Ids.ToArray());
}
