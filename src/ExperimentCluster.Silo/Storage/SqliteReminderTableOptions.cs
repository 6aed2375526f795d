namespace ExperimentCluster.Silo.Storage;

/// <summary>Settings of the SQLite reminder table.</summary>
public sealed class SqliteReminderTableOptions
{
    /// <summary>The database file; it and its folder are created when missing. Required.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>Commit durability; see <see cref="SqliteSynchronous"/>. Every user of one file must agree.</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Normal;
}
