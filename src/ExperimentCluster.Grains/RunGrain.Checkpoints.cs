using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Checkpoints;
using ExperimentCluster.Training;
using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains;

/// <summary>
/// The run's checkpoint in the checkpoint store. The state holds only its key; the bytes are written once per checkpoint.
/// <para>
/// Why a stored pointer always names stored bytes, by construction: (1) a new checkpoint is put under a key never used
/// before (<see cref="CheckpointKey"/>: version and random nonce), and the put completes before the state write that
/// points at it begins; (2) the checkpoint the stored state names is never deleted while that state stands: after a state
/// write only checkpoints of an older version than the one just pointed at are deleted, and a run's versions only grow.
/// A crash between the put and the state write leaves the old state pointing at the old, untouched checkpoint; the new
/// one is an orphan that a later write's clean-up deletes. A crash after the state write leaves the older checkpoint as an
/// orphan in the same way.
/// </para>
/// </summary>
public sealed partial class RunGrain
{
    // The checkpoint the trainer resumes from, then the one after the last chunk taken; null before the first.
    private byte[]? _checkpoint;

    // The epoch _checkpoint was taken after (meaningless while it is null).
    private int _checkpointEpoch;

    // The bytes State.CheckpointKey names (compared by reference): a write puts a checkpoint only when it changed.
    private byte[]? _storedCheckpoint;

    // Whether _checkpoint holds the stored checkpoint (read once per activation, when training starts).
    private bool _checkpointLoaded;

    // A checkpoint was put: older ones are deleted once the state pointing at it is written.
    private bool _dropOlderCheckpoints;

    /// <summary>
    /// A built-in run starts training from <paramref name="trainer"/>'s checkpoint, which may be a few epochs behind the
    /// stored trajectory (checkpoints are taken at most every CheckpointInterval, EpochPipeline): those epochs leave the trajectory and are
    /// trained again, to the same values (training is a deterministic function of the checkpoint), and written again in place.
    /// </summary>
    private void TrainFromCheckpoint(IRunTrainer trainer)
    {
        if (trainer.ChunksDone < State.Metrics.Count)
        {
            logger.LogInformation("Run {Sweep}/{Number}: its checkpoint is at epoch {Checkpoint} of {Epochs}; training the rest again",
                State.SweepId, State.Number, trainer.ChunksDone, State.Metrics.Count);
            State.Metrics.RemoveRange(trainer.ChunksDone, State.Metrics.Count - trainer.ChunksDone);
            TrajectoryCut(trainer.ChunksDone);
        }
    }

    /// <summary>The epoch the stored checkpoint was taken after; 0 when none is stored (State.CheckpointEpoch is written
    /// with each put and read only while a checkpoint is stored).</summary>
    private int StoredCheckpointEpoch =>
        State.CheckpointKey is null && State.Checkpoint is null ? 0 : State.CheckpointEpoch ?? State.Metrics.Count;

    /// <summary>The chunk just taken carries a checkpoint: it is the one the next write stores.</summary>
    private void CheckpointTaken(TrainedEpoch chunk)
    {
        if (chunk.Checkpoint is { } bytes)
            (_checkpoint, _checkpointEpoch) = (bytes, chunk.Metrics.Epoch);
    }

    /// <summary>Whether the run has trained and kept a checkpoint (a resumed run goes ahead of new ones).</summary>
    private bool HasCheckpoint => _checkpointLoaded ? _checkpoint is not null : State.CheckpointKey is not null || State.Checkpoint is not null;

    /// <summary>The stored checkpoint (null before the first), read from the store once per activation.</summary>
    private async Task<byte[]?> LoadCheckpointAsync(CancellationToken cancellationToken)
    {
        if (_checkpointLoaded)
            return _checkpoint;
        if (State.Checkpoint is { } legacy)
        {
            // A schema version 1 state with the bytes inline: they move to the store with the next write.
            _checkpoint = legacy;
            _storedCheckpoint = null;
        }
        else if (State.CheckpointKey is { } key)
        {
            _checkpoint = await WhileStoreAwayAsync("reading its checkpoint", () => checkpoints.GetAsync(key, cancellationToken), cancellationToken)
                ?? throw new InvalidOperationException($"the run's checkpoint {key} is missing from the checkpoint store");
            _storedCheckpoint = _checkpoint;
        }
        else
        {
            _checkpoint = _storedCheckpoint = null;
        }
        _checkpointEpoch = StoredCheckpointEpoch;
        _checkpointLoaded = true;
        return _checkpoint;
    }

    /// <summary>
    /// Before the final write: a checkpoint taken since the last write (a built-in run always takes one after its last
    /// epoch) is stored only if the sweep's keep_checkpoints would keep it. Otherwise the final state points at none and
    /// the older ones go, as the sweep would have them dropped right after the report. Measured with
    /// `STORE=postgres bench/cluster-bench.sh 1000 4 2`: putting a 2.4 MB checkpoint took 60-85 ms of a final write's
    /// 80-110 ms, and every run's next one waits for that write; under best most runs are not the best when they finish.
    /// If the sweep cannot be asked, the checkpoint is stored, as before.
    /// </summary>
    private async Task StoreFinalCheckpointIfKeptAsync()
    {
        if (!_checkpointLoaded || _checkpoint is null || ReferenceEquals(_checkpoint, _storedCheckpoint))
            return;
        bool keeps;
        try
        {
            keeps = await GrainFactory.Sweep(State.SweepId!).KeepsCheckpointAsync(FinalReport());
        }
        catch (Exception e)
        {
            logger.LogWarning("Run {Sweep}/{Number}: asking whether its checkpoint is kept failed ({Message}); storing it", State.SweepId, State.Number, e.Message);
            return;
        }
        if (!keeps)
            ForgetCheckpoint();
    }

    /// <summary>The run starts over (a retry): its next write points at no checkpoint, and the old ones go.</summary>
    private void ForgetCheckpoint()
    {
        _checkpoint = null;
        _checkpointLoaded = true;
        State.Checkpoint = null;
        if (State.CheckpointKey is not null)
        {
            State.CheckpointKey = null;
            _dropOlderCheckpoints = true;
        }
        _storedCheckpoint = null;
    }

    /// <summary>The stored state was replaced underneath (reloaded): the checkpoint is read again from what it names.</summary>
    private void CheckpointReloaded()
    {
        _checkpointLoaded = false;
        _checkpoint = _storedCheckpoint = null;
    }

    /// <summary>Before a state write: puts the current checkpoint if it changed, and points the state at it.</summary>
    private async Task StoreCheckpointAsync(CancellationToken cancellationToken)
    {
        if (!_checkpointLoaded || (ReferenceEquals(_checkpoint, _storedCheckpoint) && State.Checkpoint is null))
            return;
        if (_checkpoint is null)
        {
            State.CheckpointKey = null;
        }
        else
        {
            var version = State.CheckpointVersion + 1;
            State.CheckpointKey = await checkpoints.PutAsync(State.SweepId!, State.Number, version, _checkpoint, cancellationToken);
            State.CheckpointVersion = version;
            State.CheckpointEpoch = _checkpointEpoch;
        }
        State.Checkpoint = null;
        State.SchemaVersion = RunState.CurrentSchemaVersion;
        _storedCheckpoint = _checkpoint;
        _dropOlderCheckpoints = true;
    }

    /// <summary>After a state write: deletes the checkpoints older than the one it points at (orphans of crashes included).</summary>
    private async Task DropOlderCheckpointsAsync()
    {
        if (!_dropOlderCheckpoints)
            return;
        _dropOlderCheckpoints = false;
        var current = State.CheckpointKey;
        var version = State.CheckpointVersion;
        try
        {
            // Newer versions stay: another activation (briefly, while the cluster converges) may have put one it is about
            // to point at. With no pointer (a retry), everything stored so far is older.
            await checkpoints.DeleteAsync(State.SweepId!, State.Number,
                key => key == current || (current is not null && CheckpointKey.Version(key) >= version) || (current is null && CheckpointKey.Version(key) > version));
        }
        catch (Exception e)
        {
            // An orphan costs space, not correctness; the next write's clean-up tries again.
            _dropOlderCheckpoints = true;
            logger.LogWarning("Run {Sweep}/{Number}: deleting older checkpoints failed ({Message})", State.SweepId, State.Number, e.Message);
        }
    }

    public async Task DropCheckpointAsync()
    {
        if (!State.Exists || !State.Status.IsFinished())
            return;
        if (State.CheckpointKey is not null || State.Checkpoint is not null)
        {
            // The pointer goes first, then the bytes: a crash in between leaves an orphan, never a run pointing at nothing.
            State.CheckpointKey = null;
            State.Checkpoint = null;
            State.SchemaVersion = RunState.CurrentSchemaVersion;
            _checkpoint = _storedCheckpoint = null;
            _checkpointLoaded = true;
            await WriteAsync(CancellationToken.None);
        }
        await checkpoints.DeleteAsync(State.SweepId!, State.Number, key => key == State.CheckpointKey);
    }
}
