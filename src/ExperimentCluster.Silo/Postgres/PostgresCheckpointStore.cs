using ExperimentCluster.Grains.Checkpoints;
using Npgsql;

namespace ExperimentCluster.Silo.Postgres;

/// <summary>
/// Postgres mode's checkpoint store: the <c>excl_checkpoints</c> table (Schema/005-checkpoints.sql), in the same database
/// and connection pool as grain state. A put has committed when it returns.
/// </summary>
public sealed class PostgresCheckpointStore(NpgsqlDataSource db) : ICheckpointStore
{
    private long _bytesWritten;

    /// <summary>The checkpoint bytes this store has written (for the storage-growth checks).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public async Task<string> PutAsync(string sweepId, int run, long version, byte[] bytes, CancellationToken cancellationToken = default)
    {
        var (key, name) = CheckpointKey.New(sweepId, run, version);
        await using var command = db.CreateCommand("""
            INSERT INTO excl_checkpoints (sweep_id, run, name, bytes) VALUES ($1, $2, $3, $4)
            ON CONFLICT (sweep_id, run, name) DO UPDATE SET bytes = excluded.bytes
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = sweepId });
        command.Parameters.Add(new NpgsqlParameter { Value = run });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = bytes });
        await command.ExecuteNonQueryAsync(cancellationToken);
        Interlocked.Add(ref _bytesWritten, bytes.Length);
        return key;
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var (sweepId, run, name, _) = CheckpointKey.Parse(key);
        await using var command = db.CreateCommand("SELECT bytes FROM excl_checkpoints WHERE sweep_id = $1 AND run = $2 AND name = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = sweepId });
        command.Parameters.Add(new NpgsqlParameter { Value = run });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    public async Task<int> DeleteAsync(string sweepId, int run, Func<string, bool> keep, CancellationToken cancellationToken = default)
    {
        // Only the names judged here go: a checkpoint put meanwhile is not in the list, so it is never deleted unseen.
        var doomed = new List<string>();
        await using (var list = db.CreateCommand("SELECT name FROM excl_checkpoints WHERE sweep_id = $1 AND run = $2"))
        {
            list.Parameters.Add(new NpgsqlParameter { Value = sweepId });
            list.Parameters.Add(new NpgsqlParameter { Value = run });
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if (!keep(CheckpointKey.Of(sweepId, run, name)))
                    doomed.Add(name);
            }
        }
        if (doomed.Count == 0)
            return 0;
        await using var delete = db.CreateCommand("DELETE FROM excl_checkpoints WHERE sweep_id = $1 AND run = $2 AND name = ANY($3)");
        delete.Parameters.Add(new NpgsqlParameter { Value = sweepId });
        delete.Parameters.Add(new NpgsqlParameter { Value = run });
        delete.Parameters.Add(new NpgsqlParameter { Value = doomed.ToArray() });
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
