using Microsoft.Data.Sqlite;

namespace ExperimentCluster.Silo.Storage;

/// <summary>
/// The single write connection of one database file, used only by its writer loop. Commands are cached by text
/// so that each statement is compiled once, not once per write.
/// </summary>
internal sealed class SqliteWriter(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Parameters.Clear();
        return command;
    }

    // Plain BEGIN/COMMIT statements rather than SqliteTransaction objects: the cached commands then need no
    // per-batch Transaction assignment. IMMEDIATE takes the write lock up front, so a batch never fails halfway
    // on a lock upgrade when another process shares the file.
    public void Begin() => Command("BEGIN IMMEDIATE").ExecuteNonQuery();

    public void Commit() => Command("COMMIT").ExecuteNonQuery();

    public void RollbackQuietly()
    {
        try
        {
            Command("ROLLBACK").ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // SQLite already rolled back on its own (some errors do that), or the batch never began.
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
