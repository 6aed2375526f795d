using ExperimentCluster.Grains.Checkpoints;
using StackExchange.Redis;

namespace ExperimentCluster.Silo.Checkpoints;

/// <summary>
/// Redis mode's checkpoint store: one hash per run (<c>excl:checkpoints:SWEEP/RUN</c>), a field per checkpoint name. HSET
/// returns once Redis has the bytes (and, with appendonly, has them in its log as the grain state write after it will be).
/// The connection (<see cref="RedisStoreConnection"/>) is shared with the trajectory store.
/// </summary>
public sealed class RedisCheckpointStore(RedisStoreConnection redis) : ICheckpointStore
{
    private long _bytesWritten;

    /// <summary>The checkpoint bytes this store has written (for the storage-growth checks).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public async Task<string> PutAsync(string sweepId, int run, long version, byte[] bytes, CancellationToken cancellationToken = default)
    {
        var (key, name) = CheckpointKey.New(sweepId, run, version);
        var db = await redis.DatabaseAsync(cancellationToken);
        await db.HashSetAsync(RunHash(sweepId, run), name, bytes);
        Interlocked.Add(ref _bytesWritten, bytes.Length);
        return key;
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var (sweepId, run, name, _) = CheckpointKey.Parse(key);
        var db = await redis.DatabaseAsync(cancellationToken);
        var value = await db.HashGetAsync(RunHash(sweepId, run), name);
        return value.IsNull ? null : (byte[]?)value;
    }

    public async Task<int> DeleteAsync(string sweepId, int run, Func<string, bool> keep, CancellationToken cancellationToken = default)
    {
        var db = await redis.DatabaseAsync(cancellationToken);
        var hash = RunHash(sweepId, run);
        // Only the names judged here go: a checkpoint put meanwhile is not in the list, so it is never deleted unseen.
        var doomed = (await db.HashKeysAsync(hash))
            .Select(n => (string)n!)
            .Where(n => !keep(CheckpointKey.Of(sweepId, run, n)))
            .Select(n => (RedisValue)n)
            .ToArray();
        return doomed.Length == 0 ? 0 : (int)await db.HashDeleteAsync(hash, doomed);
    }


    private static RedisKey RunHash(string sweepId, int run) => $"excl:checkpoints:{sweepId}/{run.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
