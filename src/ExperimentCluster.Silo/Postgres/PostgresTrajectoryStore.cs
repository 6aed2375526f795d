using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Trajectories;
using Npgsql;

namespace ExperimentCluster.Silo.Postgres;

/// <summary>Postgres mode's trajectory store: rows of the <c>excl_trajectories</c> table (Schema/006-trajectories.sql), one per epoch.</summary>
public sealed class PostgresTrajectoryStore(NpgsqlDataSource db) : ITrajectoryStore
{
    private long _bytesWritten;

    /// <summary>The bytes of epoch records this store has written (for the storage-growth checks).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public async Task WriteAsync(string sweepId, int run, int attempt, int from, IReadOnlyList<EpochRecord> epochs, CancellationToken cancellationToken = default)
    {
        var rows = epochs.Select(EpochRecordJson.Write).ToArray();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var drop = new NpgsqlCommand("DELETE FROM excl_trajectories WHERE sweep_id = $1 AND run = $2 AND attempt = $3 AND idx >= $4", connection, transaction))
        {
            drop.Parameters.Add(new NpgsqlParameter { Value = sweepId });
            drop.Parameters.Add(new NpgsqlParameter { Value = run });
            drop.Parameters.Add(new NpgsqlParameter { Value = attempt });
            drop.Parameters.Add(new NpgsqlParameter { Value = from });
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }
        if (rows.Length > 0)
        {
            // One statement for the batch: the positions from..from+n-1 beside their records.
            await using var insert = new NpgsqlCommand("""
                INSERT INTO excl_trajectories (sweep_id, run, attempt, idx, record)
                SELECT $1, $2, $3, $4 + r.ord - 1, r.record FROM unnest($5::text[]) WITH ORDINALITY AS r(record, ord)
                """, connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = sweepId });
            insert.Parameters.Add(new NpgsqlParameter { Value = run });
            insert.Parameters.Add(new NpgsqlParameter { Value = attempt });
            insert.Parameters.Add(new NpgsqlParameter { Value = from });
            insert.Parameters.Add(new NpgsqlParameter { Value = rows });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        Interlocked.Add(ref _bytesWritten, rows.Sum(r => (long)r.Length));
    }

    public async Task<List<EpochRecord>> ReadAsync(string sweepId, int run, int attempt, int count, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("SELECT record FROM excl_trajectories WHERE sweep_id = $1 AND run = $2 AND attempt = $3 AND idx < $4 ORDER BY idx");
        command.Parameters.Add(new NpgsqlParameter { Value = sweepId });
        command.Parameters.Add(new NpgsqlParameter { Value = run });
        command.Parameters.Add(new NpgsqlParameter { Value = attempt });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        var epochs = new List<EpochRecord>(Math.Max(0, count));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            epochs.Add(EpochRecordJson.Read(reader.GetString(0)));
        return epochs;
    }

    public async Task DeleteAsync(string sweepId, int run, int attempts, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("DELETE FROM excl_trajectories WHERE sweep_id = $1 AND run = $2 AND attempt <= $3");
        command.Parameters.Add(new NpgsqlParameter { Value = sweepId });
        command.Parameters.Add(new NpgsqlParameter { Value = run });
        command.Parameters.Add(new NpgsqlParameter { Value = attempts });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
