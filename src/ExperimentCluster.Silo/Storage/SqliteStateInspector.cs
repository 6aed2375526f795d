using Microsoft.Data.Sqlite;

namespace ExperimentCluster.Silo.Storage;

/// <summary>
/// Read-only access to the stored form of grain state, for tests and diagnostics. Each call opens its own
/// read-only connection, so it works beside a running silo and after it stopped, and holds nothing open.
/// </summary>
public static class SqliteStateInspector
{
    /// <summary>The stored JSON of one state, or null when there is none (never written, or cleared).</summary>
    public static string? ReadStateJson(string databasePath, GrainId grainId, string stateName)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM grain_state WHERE grain_id = $grain_id AND state_name = $state_name";
        command.Parameters.AddWithValue("$grain_id", grainId.ToString());
        command.Parameters.AddWithValue("$state_name", stateName);
        return command.ExecuteScalar() as string;
    }

    /// <summary>How many states named <paramref name="stateName"/> hold data.</summary>
    public static long CountStates(string databasePath, string stateName)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM grain_state WHERE state_name = $state_name AND payload IS NOT NULL";
        command.Parameters.AddWithValue("$state_name", stateName);
        return (long)command.ExecuteScalar()!;
    }

    private static SqliteConnection Open(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(databasePath),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }
}
