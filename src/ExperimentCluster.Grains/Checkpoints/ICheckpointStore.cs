namespace ExperimentCluster.Grains.Checkpoints;

/// <summary>
/// Where runs keep their latest checkpoint, beside grain state (which holds only a pointer, <see cref="RunState.CheckpointKey"/>):
/// a checkpoint is written once, under a key never used before, instead of being rewritten with the run's state after every
/// epoch. One implementation per storage mode (SQLite embedded; Redis or PostgreSQL in cluster mode), registered by the silo.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>
    /// Stores <paramref name="bytes"/> as checkpoint <paramref name="version"/> of a run under a new key (see
    /// <see cref="CheckpointKey"/>), which it returns once the bytes are durable. Never replaces a checkpoint another key names.
    /// </summary>
    Task<string> PutAsync(string sweepId, int run, long version, byte[] bytes, CancellationToken cancellationToken = default);

    /// <summary>The bytes stored under <paramref name="key"/>, or null when there are none (never stored, or deleted).</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the run's checkpoints whose key <paramref name="keep"/> refuses; returns how many went.</summary>
    Task<int> DeleteAsync(string sweepId, int run, Func<string, bool> keep, CancellationToken cancellationToken = default);
}
