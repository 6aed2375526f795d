using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace ExperimentCluster.Grains;

/// <summary>
/// The one way the grains write a stored state. A write that meets an ETag conflict (InconsistentStateException) means
/// the stored record is not the one this activation last read or wrote: Redis lost its newest writes (a crash with
/// `appendfsync everysec` on a machine that lost power, an older append-only file or snapshot restored), a write that
/// failed on a dropped connection had in fact landed, or another activation of the grain wrote (briefly, while the
/// cluster converges after a silo loss). Nothing of that needs a person: the writer reads the stored record beside the
/// grain's state (not into it, so that the grain's other calls never see it) and asks the grain's rule
/// (<see cref="ConflictRules"/>) which one goes on. The grain's own state, when the stored one holds nothing it lacks,
/// is written again over the stored ETag and the grain carries on as if nothing had happened; otherwise the stored
/// state replaces the grain's and the conflict is thrown to the grain, which continues from it (a run retrains from
/// the stored checkpoint, a sweep deactivates and its next call loads it).
/// Each conflict is logged at Warning and counted (excl.storage.conflicts), and each recovery once the grain and the
/// store agree again (excl.storage.conflicts.recovered), so that the two counts show that every grain recovered.
/// </summary>
internal sealed class RecoveringState<T>(
    IGrainContext grain,
    IPersistentState<T> store,
    string stateName,
    Func<T, T, T?> resolve,
    ILogger logger,
    Action? storedWins = null) where T : class
{
    /// <summary>Conflicts in a row before the writer gives up: more means another activation keeps writing.</summary>
    private const int MaxConflicts = 5;

    // Set from a conflict until the grain's state and the store agree again: a conflict whose re-read or re-write fails on
    // a Redis that is still down is one conflict, recovered by the write that later succeeds.
    private bool _recovering;

    public Task WriteAsync() => WriteAsync(CancellationToken.None);

    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        for (var conflicts = 1; ; conflicts++)
        {
            try
            {
                await store.WriteStateAsync(cancellationToken);
            }
            catch (InconsistentStateException e) when (conflicts <= MaxConflicts)
            {
                if (!_recovering)
                {
                    _recovering = true;
                    ExperimentMetrics.StorageConflict(stateName);
                }
                logger.LogWarning("Grain {Grain}: stored state '{State}' changed underneath (ETag {Held}, stored {Stored}); re-reading it",
                    grain.GrainId, stateName, e.CurrentEtag, e.StoredEtag);
                if (!await TakeNewerAsync(cancellationToken))
                    throw;
                continue;
            }
            if (_recovering)
                Recovered("written again over the stored one");
            return;
        }
    }

    /// <summary>Reads the stored record and adopts its ETag; returns whether the grain's state (or the merge) is to be
    /// written again, or false after the stored state replaced the grain's.</summary>
    private async Task<bool> TakeNewerAsync(CancellationToken cancellationToken)
    {
        var storage = grain.ActivationServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Experiments);
        var stored = new GrainState<T>();
        await storage.ReadStateAsync(stateName, grain.GrainId, stored, cancellationToken);
        // From here to the return nothing awaits: the grain's other calls see either its state or the outcome.
        var mine = store.State;
        var next = stored.RecordExists && stored.State is not null ? resolve(stored.State, mine) : mine;
        // IStorage's ETag is read-only; Orleans' own implementation (what [PersistentState] injects) lets it be set.
        if (store is not Orleans.Core.StateStorageBridge<T> bridge)
            throw new InvalidOperationException($"state '{stateName}': cannot adopt the stored ETag of a {store.GetType().Name}");
        bridge.Etag = stored.ETag;
        if (next is not null)
        {
            store.State = next;
            return true;
        }
        store.State = stored.State!;
        Recovered("the stored state was newer and replaced this activation's");
        storedWins?.Invoke();
        return false;
    }

    private void Recovered(string how)
    {
        _recovering = false;
        ExperimentMetrics.StorageConflictRecovered(stateName);
        logger.LogWarning("Grain {Grain}: stored state '{State}' recovered: {How}", grain.GrainId, stateName, how);
    }
}
