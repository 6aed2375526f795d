using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Trajectories;
using StackExchange.Redis;

namespace ExperimentCluster.Silo.Checkpoints;

/// <summary>
/// Redis mode's trajectory store: a list per run attempt (<c>excl:trajectory:SWEEP/RUN/ATTEMPT</c>), an epoch per entry.
/// A write trims the list to its first positions and appends, in one transaction, so that writing again is harmless.
/// </summary>
public sealed class RedisTrajectoryStore(RedisStoreConnection redis) : ITrajectoryStore
{
    private long _bytesWritten;

    /// <summary>The bytes of epoch records this store has written (for the storage-growth checks).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public async Task WriteAsync(string sweepId, int run, int attempt, int from, IReadOnlyList<EpochRecord> epochs, CancellationToken cancellationToken = default)
    {
        var db = await redis.DatabaseAsync(cancellationToken);
        var key = SeriesKey(sweepId, run, attempt);
        var rows = epochs.Select(e => (RedisValue)EpochRecordJson.Write(e)).ToArray();
        var transaction = db.CreateTransaction();
        _ = from == 0 ? transaction.KeyDeleteAsync(key) : transaction.ListTrimAsync(key, 0, from - 1);
        if (rows.Length > 0)
            _ = transaction.ListRightPushAsync(key, rows);
        if (!await transaction.ExecuteAsync())
            throw new RedisException($"writing the trajectory {key} was not applied");
        Interlocked.Add(ref _bytesWritten, rows.Sum(r => (long)((string)r!).Length));
    }

    public async Task<List<EpochRecord>> ReadAsync(string sweepId, int run, int attempt, int count, CancellationToken cancellationToken = default)
    {
        if (count <= 0)
            return [];
        var db = await redis.DatabaseAsync(cancellationToken);
        var rows = await db.ListRangeAsync(SeriesKey(sweepId, run, attempt), 0, count - 1);
        return rows.Select(r => EpochRecordJson.Read(r!)).ToList();
    }

    public async Task DeleteAsync(string sweepId, int run, int attempts, CancellationToken cancellationToken = default)
    {
        var db = await redis.DatabaseAsync(cancellationToken);
        var keys = Enumerable.Range(1, Math.Max(0, attempts)).Select(a => SeriesKey(sweepId, run, a)).ToArray();
        if (keys.Length > 0)
            await db.KeyDeleteAsync(keys);
    }

    private static RedisKey SeriesKey(string sweepId, int run, int attempt) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"excl:trajectory:{sweepId}/{run}/{attempt}");
}
