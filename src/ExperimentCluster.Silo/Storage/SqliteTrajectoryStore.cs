using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Trajectories;

namespace ExperimentCluster.Silo.Storage;

/// <summary>Embedded mode's trajectory store: rows of the SQLite file's <c>trajectories</c> table, one per epoch, written through the file's one writer.</summary>
public sealed class SqliteTrajectoryStore : ITrajectoryStore, IAsyncDisposable
{
    private readonly SqliteDatabaseLease _lease;
    private long _bytesWritten;

    public SqliteTrajectoryStore(string databasePath, SqliteSynchronous synchronous = SqliteSynchronous.Normal)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _lease = SqliteDatabase.Acquire(databasePath, synchronous);
    }

    /// <summary>The bytes of epoch records this store has written (for the storage-growth checks).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public async Task WriteAsync(string sweepId, int run, int attempt, int from, IReadOnlyList<EpochRecord> epochs, CancellationToken cancellationToken = default)
    {
        var rows = epochs.Select(EpochRecordJson.Write).ToList();
        await _lease.Database.WriteAsync(writer =>
        {
            var drop = writer.Command("DELETE FROM trajectories WHERE sweep_id = $sweep AND run = $run AND attempt = $attempt AND idx >= $from");
            drop.Parameters.AddWithValue("$sweep", sweepId);
            drop.Parameters.AddWithValue("$run", run);
            drop.Parameters.AddWithValue("$attempt", attempt);
            drop.Parameters.AddWithValue("$from", from);
            drop.ExecuteNonQuery();
            for (var i = 0; i < rows.Count; i++)
            {
                var insert = writer.Command("INSERT INTO trajectories (sweep_id, run, attempt, idx, record) VALUES ($sweep, $run, $attempt, $idx, $record)");
                insert.Parameters.AddWithValue("$sweep", sweepId);
                insert.Parameters.AddWithValue("$run", run);
                insert.Parameters.AddWithValue("$attempt", attempt);
                insert.Parameters.AddWithValue("$idx", from + i);
                insert.Parameters.AddWithValue("$record", rows[i]);
                insert.ExecuteNonQuery();
            }
            return rows.Count;
        }, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _bytesWritten, rows.Sum(r => (long)r.Length));
    }

    public async Task<List<EpochRecord>> ReadAsync(string sweepId, int run, int attempt, int count, CancellationToken cancellationToken = default)
    {
        await using var connection = _lease.Database.OpenReader();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT record FROM trajectories WHERE sweep_id = $sweep AND run = $run AND attempt = $attempt AND idx < $count ORDER BY idx";
        command.Parameters.AddWithValue("$sweep", sweepId);
        command.Parameters.AddWithValue("$run", run);
        command.Parameters.AddWithValue("$attempt", attempt);
        command.Parameters.AddWithValue("$count", count);
        var epochs = new List<EpochRecord>(count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            epochs.Add(EpochRecordJson.Read(reader.GetString(0)));
        return epochs;
    }

    public Task DeleteAsync(string sweepId, int run, int attempts, CancellationToken cancellationToken = default) =>
        _lease.Database.WriteAsync(writer =>
        {
            var command = writer.Command("DELETE FROM trajectories WHERE sweep_id = $sweep AND run = $run AND attempt <= $attempts");
            command.Parameters.AddWithValue("$sweep", sweepId);
            command.Parameters.AddWithValue("$run", run);
            command.Parameters.AddWithValue("$attempts", attempts);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public ValueTask DisposeAsync() => _lease.DisposeAsync();
}
