using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Trajectories;

namespace ExperimentCluster.Silo.Storage;

/// <summary>Embedded mode's trajectory store: rows of the SQLite file's <c>trajectories</c> table, one per epoch, written through the file's one writer.</summary>
public sealed class SqliteTrajectoryStore(string databasePath, SqliteSynchronous synchronous = SqliteSynchronous.Normal)
    : SqliteSideTable(databasePath, synchronous), ITrajectoryStore
{
    public async Task WriteAsync(string sweepId, int run, int attempt, int from, IReadOnlyList<EpochRecord> epochs, CancellationToken cancellationToken = default)
    {
        var rows = epochs.Select(EpochRecordJson.Write).ToList();
        await Database.WriteAsync(writer =>
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
        CountWritten(rows.Sum(r => (long)r.Length));
    }

    public async Task<List<EpochRecord>> ReadAsync(string sweepId, int run, int attempt, int count, CancellationToken cancellationToken = default)
    {
        await using var connection = Database.OpenReader();
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
        Database.WriteAsync(writer =>
        {
            var command = writer.Command("DELETE FROM trajectories WHERE sweep_id = $sweep AND run = $run AND attempt <= $attempts");
            command.Parameters.AddWithValue("$sweep", sweepId);
            command.Parameters.AddWithValue("$run", run);
            command.Parameters.AddWithValue("$attempts", attempts);
            return command.ExecuteNonQuery();
        }, cancellationToken);
}
