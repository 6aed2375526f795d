namespace ExperimentCluster.Silo.Storage;

/// <summary>
/// What the stores kept beside grain state in the silo's SQLite file (checkpoints, trajectories) share: a lease on the
/// file's one database (its single writer, its readers) and a count of the bytes written, for the storage-growth checks.
/// </summary>
public abstract class SqliteSideTable : IAsyncDisposable
{
    private long _bytesWritten;

    protected SqliteSideTable(string databasePath, SqliteSynchronous synchronous)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        Lease = SqliteDatabase.Acquire(databasePath, synchronous);
    }

    /// <summary>The bytes this store has written.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    private protected SqliteDatabase Database => Lease.Database;

    private SqliteDatabaseLease Lease { get; }

    protected void CountWritten(long bytes) => Interlocked.Add(ref _bytesWritten, bytes);

    public async ValueTask DisposeAsync()
    {
        await Lease.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
