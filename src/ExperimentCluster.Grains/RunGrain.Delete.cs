using ExperimentCluster.Contracts;
using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains;

/// <summary>
/// Removing a run with its sweep. Training stops first (as when the silo deactivates it), so that nothing writes after
/// the clear; then its checkpoints and trajectories are deleted from their stores, each stored state of the run is
/// cleared, and the activation goes, so that a sweep submitted later under the same id starts its runs from nothing.
/// </summary>
public sealed partial class RunGrain
{
    public async Task<RunRemoval> ClearAsync()
    {
        _deactivating?.Cancel();
        _stopWaiting?.Cancel();
        if (_loop is { IsCompleted: false } loop)
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
                // Stopped where it was: the state it stored is cleared below.
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // However training ended, what it stored is cleared below.
                logger.LogWarning("Run {Sweep}/{Number}: training ended with an error while the run was deleted: {Message}", State.SweepId, State.Number, e.Message);
            }
        }
        var removed = State.Exists
            ? new RunRemoval(State.Metrics.Count + State.EarlierAttempts.Sum(a => (long)a.Metrics.Count), State.EarlierAttempts.Count,
                HasCheckpoint, logStore.State.Text.Length)
            : RunRemoval.None with { LogChars = logStore.State.Text.Length };
        // The checkpoint and trajectory stores first, the state that names them last: a delete cut short leaves a state
        // that still says what to remove, and the next delete removes it again (both deletes are idempotent).
        if (State.Exists)
        {
            await checkpoints.DeleteAsync(State.SweepId!, State.Number, _ => false);
            await trajectories.DeleteAsync(State.SweepId!, State.Number, State.Attempt);
        }
        // A state never written has no etag and nothing to clear (a run its sweep never started).
        if (store.Etag is not null)
            await store.ClearStateAsync();
        if (logStore.Etag is not null)
            await logStore.ClearStateAsync();
        _output = null;
        _loop = null;
        DeactivateOnIdle();
        return removed;
    }
}
