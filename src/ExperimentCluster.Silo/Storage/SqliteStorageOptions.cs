using Orleans.Storage;

namespace ExperimentCluster.Silo.Storage;

/// <summary>Settings of one named SQLite grain storage.</summary>
public sealed class SqliteStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>The database file; it and its folder are created when missing. Required.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>Commit durability; see <see cref="SqliteSynchronous"/>. Every user of one file must agree.</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Normal;

    /// <summary>
    /// The serializer of grain state. Left unset, it is the silo's grain storage serializer, which must produce
    /// JSON text (the silo calls <c>UseSystemTextJsonGrainStorageSerializer()</c>) because the state is stored as text.
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
