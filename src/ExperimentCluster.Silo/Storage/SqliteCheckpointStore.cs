using ExperimentCluster.Grains.Checkpoints;
using Microsoft.Data.Sqlite;

namespace ExperimentCluster.Silo.Storage;

/// <summary>
/// Embedded mode's checkpoint store: the <c>checkpoints</c> table of the silo's SQLite file, written through the file's one
/// writer (group commit, like grain state). A put commits before it returns, so a pointer written after it never names
/// bytes that are not on disk.
/// </summary>
public sealed class SqliteCheckpointStore(string databasePath, SqliteSynchronous synchronous = SqliteSynchronous.Normal)
    : SqliteSideTable(databasePath, synchronous), ICheckpointStore
{
    public async Task<string> PutAsync(string sweepId, int run, long version, byte[] bytes, CancellationToken cancellationToken = default)
    {
        var (key, name) = CheckpointKey.New(sweepId, run, version);
        await Database.WriteAsync(writer =>
        {
            var command = writer.Command("INSERT OR REPLACE INTO checkpoints (sweep_id, run, name, bytes) VALUES ($sweep, $run, $name, $bytes)");
            command.Parameters.AddWithValue("$sweep", sweepId);
            command.Parameters.AddWithValue("$run", run);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$bytes", bytes);
            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        CountWritten(bytes.Length);
        return key;
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var (sweepId, run, name, _) = CheckpointKey.Parse(key);
        await using var connection = Database.OpenReader();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT bytes FROM checkpoints WHERE sweep_id = $sweep AND run = $run AND name = $name";
        command.Parameters.AddWithValue("$sweep", sweepId);
        command.Parameters.AddWithValue("$run", run);
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    public async Task<int> DeleteAsync(string sweepId, int run, Func<string, bool> keep, CancellationToken cancellationToken = default)
    {
        // Only the names judged here go: a checkpoint put meanwhile is not in the list, so it is never deleted unseen.
        var doomed = new List<string>();
        await using (var connection = Database.OpenReader())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM checkpoints WHERE sweep_id = $sweep AND run = $run";
            command.Parameters.AddWithValue("$sweep", sweepId);
            command.Parameters.AddWithValue("$run", run);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                if (!keep(CheckpointKey.Of(sweepId, run, name)))
                    doomed.Add(name);
            }
        }
        if (doomed.Count == 0)
            return 0;
        return await Database.WriteAsync(writer =>
        {
            var deleted = 0;
            foreach (var name in doomed)
            {
                var command = writer.Command("DELETE FROM checkpoints WHERE sweep_id = $sweep AND run = $run AND name = $name");
                command.Parameters.AddWithValue("$sweep", sweepId);
                command.Parameters.AddWithValue("$run", run);
                command.Parameters.AddWithValue("$name", name);
                deleted += command.ExecuteNonQuery();
            }
            return deleted;
        }, cancellationToken).ConfigureAwait(false);
    }

}
