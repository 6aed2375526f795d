namespace ExperimentCluster.Silo.Storage;

/// <summary>One user's hold on a shared <see cref="SqliteDatabase"/>; the file closes when the last lease is disposed.</summary>
internal sealed class SqliteDatabaseLease(SqliteDatabase database) : IDisposable, IAsyncDisposable
{
    private SqliteDatabase? _database = database;

    public SqliteDatabase Database =>
        Volatile.Read(ref _database) ?? throw new ObjectDisposedException(nameof(SqliteDatabaseLease));

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _database, null) is { } held ? new ValueTask(held.ReleaseAsync()) : ValueTask.CompletedTask;

    // A synchronous dispose (a host disposed without DisposeAsync) starts the close without waiting for the
    // queued writes to drain; they still commit, the caller just doesn't wait for them.
    public void Dispose() => _ = DisposeAsync().AsTask();
}
