using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace ExperimentCluster.Silo.Storage;

/// <summary>
/// One open SQLite file, shared by every grain storage and the reminder table that name it, and by every silo
/// hosted in this process (test clusters host several): one writer per file per process, with group commit.
/// Callers enqueue changes; one loop drains everything pending into one transaction and completes the callers
/// only after it commits. Reads use pooled connections of their own, which WAL lets run beside the writer.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "Reference counted: the last SqliteDatabaseLease to go closes the connections.")]
internal sealed class SqliteDatabase
{
    // Caps one transaction so that a flood of writes still commits (and releases its callers) in steps
    // of a few milliseconds instead of one long transaction.
    private const int MaxBatchSize = 512;

    private static readonly Lock RegistryLock = new();
    private static readonly Dictionary<string, SqliteDatabase> OpenDatabases = new(StringComparer.Ordinal);

    private readonly Channel<SqliteWrite> _queue =
        Channel.CreateUnbounded<SqliteWrite>(new UnboundedChannelOptions { SingleReader = true });

    private readonly SqliteConnection _writeConnection;
    private readonly SqliteWriter _writer;
    private readonly string _readConnectionString;
    private readonly Task _writerLoop;
    private int _leases;
    private long _committedBatches;
    private long _committedWrites;

    private SqliteDatabase(string fullPath, SqliteSynchronous synchronous)
    {
        FullPath = fullPath;
        Synchronous = synchronous;

        var folder = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var writeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();

        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
        }.ToString();

        _writeConnection = new SqliteConnection(writeConnectionString);
        try
        {
            _writeConnection.Open();
            Configure(_writeConnection, synchronous);
        }
        catch
        {
            _writeConnection.Dispose();
            throw;
        }

        _writer = new SqliteWriter(_writeConnection);

        // The loop outlives whoever happened to open the file first: it must not carry that caller's
        // AsyncLocal state (Orleans RequestContext, the current Activity) into every later commit.
        using (ExecutionContext.SuppressFlow())
        {
            _writerLoop = Task.Run(RunWriterAsync);
        }
    }

    public string FullPath { get; }

    public SqliteSynchronous Synchronous { get; }

    /// <summary>Transactions committed so far; with <see cref="CommittedWrites"/>, shows how well writes are grouped.</summary>
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    public long CommittedWrites => Interlocked.Read(ref _committedWrites);

    /// <summary>Opens the file (or joins the instance already open in this process) for one user.</summary>
    public static SqliteDatabaseLease Acquire(string databasePath, SqliteSynchronous synchronous)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var fullPath = Path.GetFullPath(databasePath);
        lock (RegistryLock)
        {
            if (OpenDatabases.TryGetValue(fullPath, out var database))
            {
                if (database.Synchronous != synchronous)
                {
                    throw new InvalidOperationException(
                        $"SQLite database '{fullPath}' is already open with Synchronous={database.Synchronous}; " +
                        $"another user asks for Synchronous={synchronous}. Give every storage and the reminder table of one file the same setting.");
                }
            }
            else
            {
                database = new SqliteDatabase(fullPath, synchronous);
                OpenDatabases.Add(fullPath, database);
            }

            database._leases++;
            return new SqliteDatabaseLease(database);
        }
    }

    /// <summary>Whether some user in this process still holds the file open.</summary>
    public static bool IsOpen(string databasePath)
    {
        var fullPath = Path.GetFullPath(databasePath);
        lock (RegistryLock)
        {
            return OpenDatabases.ContainsKey(fullPath);
        }
    }

    /// <summary>Queues a change for the next group commit; the task completes once that transaction commits.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriter, T> execute, CancellationToken cancellationToken)
    {
        var write = new SqliteWrite<T>(execute, cancellationToken);
        if (!_queue.Writer.TryWrite(write))
        {
            return Task.FromException<T>(new ObjectDisposedException(nameof(SqliteDatabase), $"SQLite database '{FullPath}' is closed."));
        }

        return write.Task;
    }

    /// <summary>A pooled read connection; dispose it to return it. Sees every write whose task has completed.</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    internal Task ReleaseAsync()
    {
        lock (RegistryLock)
        {
            if (--_leases > 0)
            {
                return Task.CompletedTask;
            }

            OpenDatabases.Remove(FullPath);
        }

        return CloseAsync();
    }

    private static void Configure(SqliteConnection connection, SqliteSynchronous synchronous)
    {
        using var command = connection.CreateCommand();

        // WAL: readers never block the writer nor the writer them, and a commit appends to one file instead of
        // rewriting pages in place.
        command.CommandText = "PRAGMA journal_mode = WAL";
        var mode = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite database '{connection.DataSource}' refused WAL mode (journal_mode is '{mode}').");
        }

        // In WAL mode NORMAL skips the fsync per commit but keeps the file consistent: a process crash loses
        // nothing committed (the WAL is in the OS page cache); only a power loss can drop the last commits.
        command.CommandText = synchronous == SqliteSynchronous.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
        command.ExecuteNonQuery();

        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > SqliteSchema.Version)
        {
            throw new InvalidOperationException(
                $"SQLite database '{connection.DataSource}' has schema version {version}; this build knows up to {SqliteSchema.Version}. Use a newer build.");
        }

        command.CommandText = $"BEGIN IMMEDIATE; {SqliteSchema.CreateTables} PRAGMA user_version = {SqliteSchema.Version}; COMMIT;";
        command.ExecuteNonQuery();
    }

    private async Task RunWriterAsync()
    {
        var batch = new List<SqliteWrite>(MaxBatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatchSize && reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<SqliteWrite> batch)
    {
        try
        {
            _writer.Begin();
        }
        catch (Exception exception)
        {
            // No transaction (the file is locked past the busy timeout, or unusable): retrying one by one would
            // only multiply the wait.
            foreach (var write in batch)
            {
                write.Fail(exception);
            }

            return;
        }

        try
        {
            foreach (var write in batch)
            {
                write.Execute(_writer);
            }

            _writer.Commit();
        }
        catch (Exception exception)
        {
            _writer.RollbackQuietly();
            if (batch.Count == 1)
            {
                batch[0].Fail(exception);
                return;
            }

            // One failing write must not fail the others that shared its transaction: replay each alone, so
            // that only the culprit (or, for a full disk, everyone) sees the error. Callers log what they get.
            foreach (var write in batch)
            {
                Commit([write]);
            }

            return;
        }

        Interlocked.Increment(ref _committedBatches);
        Interlocked.Add(ref _committedWrites, batch.Count);
        foreach (var write in batch)
        {
            write.Publish();
        }
    }

    private async Task CloseAsync()
    {
        // Every write queued before the last user let go is still committed: the loop drains the queue, then ends.
        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);

        // Pooled readers first, so that the writer's connection is the last one and its close checkpoints the WAL
        // back into the main file.
        using (var pooled = new SqliteConnection(_readConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        _writer.Dispose();
        await _writeConnection.DisposeAsync().ConfigureAwait(false);
    }
}
