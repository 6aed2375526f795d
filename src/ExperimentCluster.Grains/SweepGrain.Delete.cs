using ExperimentCluster.Contracts;
using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains;

/// <summary>
/// Deleting a sweep. The order makes it crash-safe: the sweep is first stored as Deleting (from then on it is gone for
/// every other call: no wake, no report, no view), then every run clears its states, then the index forgets the id, and
/// the sweep's own state goes last. A silo that dies anywhere in between leaves the Deleting sweep stored, and the next
/// delete (or a new submission under the id) finishes the work. A running sweep is refused: a slip must not lose runs
/// that are training.
/// </summary>
public sealed partial class SweepGrain
{
    /// <summary>Runs cleared at once: bounded, so that a sweep of thousands of runs does not send thousands of calls together.</summary>
    private const int ClearBatch = 64;

    private Task<SweepDeletion>? _deletion;

    public async Task<SweepDeletion> DeleteAsync()
    {
        if (!State.Stored)
            return new SweepDeletion(Id, $"id: no sweep '{Id}'");
        if (State.Status == SweepStatus.Running && !State.Deleting)
            return new SweepDeletion(Id, "status: the sweep is running; cancel or pause it first");
        await CheckpointDropsDoneAsync();
        var deletion = await FinishDeletingAsync();
        // The next call (a new sweep under this id) gets a fresh activation.
        DeactivateOnIdle();
        return deletion;
    }

    /// <summary>The delete itself; a second caller while one is under way waits for it.</summary>
    private Task<SweepDeletion> FinishDeletingAsync() =>
        _deletion is { IsCompleted: false } inFlight ? inFlight : _deletion = DeleteOnceAsync();

    private async Task<SweepDeletion> DeleteOnceAsync()
    {
        if (!State.Deleting)
        {
            State.Deleting = true;
            await Writes.PersistAsync();
        }
        _timer?.Dispose();
        _timer = null;
        await this.UnregisterReminderQuietly(ReminderName, logger);

        var runs = State.Runs.Count;
        var removed = new List<RunRemoval>(runs);
        foreach (var batch in Enumerable.Range(0, runs).Chunk(ClearBatch))
            removed.AddRange(await Task.WhenAll(batch.Select(n => GrainFactory.Run(Id, n).ClearAsync())));
        await GrainFactory.SweepIndex().RemoveAsync(Id);

        // Anything still marked changed goes out first, so that no write is in flight during the clear; afterwards nothing
        // is pending, and neither a flush nor the deactivation can put the state back.
        await Writes.PersistAsync();
        await _buckets.ClearAsync(runs);
        await store.ClearStateAsync();
        Writes.Forget();
        State.Runs = [];
        _open.Clear();
        _events = new SweepEventBuffer(0);
        _history.Clear();
        _definition = null;
        _strategy = null;
        _rule = null;
        _ruleEpochs = null;
        _recordedEpochs = null;
        _prior = null;
        logger.LogInformation("Sweep {Sweep} deleted with its {Runs} runs", Id, runs);
        return new SweepDeletion(Id, null, runs,
            removed.Sum(r => r.Epochs), removed.Sum(r => r.EarlierAttempts), removed.Count(r => r.Checkpoint), removed.Sum(r => r.LogChars));
    }
}
