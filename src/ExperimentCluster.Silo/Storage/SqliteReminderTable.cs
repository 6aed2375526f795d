using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExperimentCluster.Silo.Storage;

/// <summary>
/// The reminder table on the embedded-mode SQLite file, so that reminders outlive the process and a restarted
/// silo resumes its training runs. Rows are keyed by (grain id, reminder name) and carry the grain's uniform hash
/// for the ring-range reads of each silo's reminder service.
/// </summary>
public sealed class SqliteReminderTable : IReminderTable, IDisposable, IAsyncDisposable
{
    private const string Columns = "grain_id, reminder_name, start_at, period_ticks, etag";

    private const string SelectByGrainSql = $"SELECT {Columns} FROM reminders WHERE grain_id = $grain_id";

    private const string SelectOneSql = $"SELECT {Columns} FROM reminders WHERE grain_id = $grain_id AND reminder_name = $reminder_name";

    // The ring range is (begin, end]; when begin >= end it wraps past uint.MaxValue (begin == end is the whole ring).
    private const string SelectRangeSql = $"SELECT {Columns} FROM reminders WHERE grain_hash > $begin AND grain_hash <= $end";

    private const string SelectWrappedRangeSql = $"SELECT {Columns} FROM reminders WHERE grain_hash > $begin OR grain_hash <= $end";

    // REPLACE deletes the old row and inserts a new one, which takes a fresh AUTOINCREMENT etag.
    private const string UpsertSql = """
        INSERT OR REPLACE INTO reminders (grain_id, reminder_name, grain_hash, start_at, period_ticks)
        VALUES ($grain_id, $reminder_name, $grain_hash, $start_at, $period_ticks)
        RETURNING etag
        """;

    private const string DeleteSql = "DELETE FROM reminders WHERE grain_id = $grain_id AND reminder_name = $reminder_name AND etag = $etag";

    private readonly SqliteDatabaseLease _lease;

    public SqliteReminderTable(IOptions<SqliteReminderTableOptions> options, ILogger<SqliteReminderTable> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.DatabasePath))
        {
            throw new ArgumentException($"The SQLite reminder table has no {nameof(SqliteReminderTableOptions.DatabasePath)}.", nameof(options));
        }

        _lease = SqliteDatabase.Acquire(settings.DatabasePath, settings.Synchronous);
        logger.LogInformation(
            "SQLite reminder table on {Path} (WAL, synchronous={Synchronous})", _lease.Database.FullPath, settings.Synchronous);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _lease.Database.FullPath;

    // The reminder service calls this at silo start to prove the store is reachable before it loads in the background.
    public Task StartAsync(CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM reminders WHERE 0";
            return command.ExecuteScalar();
        });

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = SelectByGrainSql;
            command.Parameters.AddWithValue("$grain_id", grainId.ToString());
            return new ReminderTableData(ReadEntries(command));
        });

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = begin < end ? SelectRangeSql : SelectWrappedRangeSql;
            command.Parameters.AddWithValue("$begin", (long)begin);
            command.Parameters.AddWithValue("$end", (long)end);
            return new ReminderTableData(ReadEntries(command));
        });

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = SelectOneSql;
            command.Parameters.AddWithValue("$grain_id", grainId.ToString());
            command.Parameters.AddWithValue("$reminder_name", reminderName);
            return ReadEntries(command).SingleOrDefault();
        });

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    public async Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var grainKey = entry.GrainId.ToString();
        var grainHash = (long)entry.GrainId.GetUniformHashCode();
        var startAt = entry.StartAt.ToString("O", CultureInfo.InvariantCulture);
        var periodTicks = entry.Period.Ticks;
        var reminderName = entry.ReminderName;

        var etag = await _lease.Database.WriteAsync(
            writer =>
            {
                var command = writer.Command(UpsertSql);
                command.Parameters.AddWithValue("$grain_id", grainKey);
                command.Parameters.AddWithValue("$reminder_name", reminderName);
                command.Parameters.AddWithValue("$grain_hash", grainHash);
                command.Parameters.AddWithValue("$start_at", startAt);
                command.Parameters.AddWithValue("$period_ticks", periodTicks);
                return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            },
            cancellationToken);
        return etag.ToString(CultureInfo.InvariantCulture);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var expected))
        {
            // Not an etag this table ever handed out, so it cannot match the stored one.
            return Task.FromResult(false);
        }

        var grainKey = grainId.ToString();
        return _lease.Database.WriteAsync(
            writer =>
            {
                var command = writer.Command(DeleteSql);
                command.Parameters.AddWithValue("$grain_id", grainKey);
                command.Parameters.AddWithValue("$reminder_name", reminderName);
                command.Parameters.AddWithValue("$etag", expected);
                return command.ExecuteNonQuery() == 1;
            },
            cancellationToken);
    }

    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    public Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        _lease.Database.WriteAsync(writer => writer.Command("DELETE FROM reminders").ExecuteNonQuery(), cancellationToken);

    public void Dispose() => _lease.Dispose();

    public ValueTask DisposeAsync() => _lease.DisposeAsync();

    private static List<ReminderEntry> ReadEntries(SqliteCommand command)
    {
        var entries = new List<ReminderEntry>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                ReminderName = reader.GetString(1),
                StartAt = DateTime.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            });
        }

        return entries;
    }

    // Reads are short indexed lookups on a pooled connection; inline is cheaper than a thread hop. Errors still
    // surface through the task, as callers of an async API expect.
    private Task<T> Read<T>(Func<SqliteConnection, T> read)
    {
        try
        {
            using var connection = _lease.Database.OpenReader();
            return Task.FromResult(read(connection));
        }
        catch (Exception exception)
        {
            return Task.FromException<T>(exception);
        }
    }
}
