using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace ExperimentCluster.Silo.Storage;

/// <summary>
/// Grain storage on a SQLite file: one row per (grain id, state name) holding an integer version (the etag) and
/// the state as the JSON text of the configured grain storage serializer. Writes go through the file's group
/// commit (<see cref="SqliteDatabase"/>); the etag check of each write runs inside that shared transaction.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable, IAsyncDisposable
{
    private const string SelectSql =
        "SELECT version, payload FROM grain_state WHERE grain_id = $grain_id AND state_name = $state_name";

    private const string SelectVersionSql =
        "SELECT version FROM grain_state WHERE grain_id = $grain_id AND state_name = $state_name";

    private const string InsertSql = """
        INSERT INTO grain_state (grain_id, state_name, version, payload) VALUES ($grain_id, $state_name, 1, CAST($payload AS TEXT))
        ON CONFLICT (grain_id, state_name) DO NOTHING
        """;

    private const string UpdateSql = """
        UPDATE grain_state SET version = version + 1, payload = CAST($payload AS TEXT)
        WHERE grain_id = $grain_id AND state_name = $state_name AND version = $expected
        """;

    private const string ClearSql = """
        UPDATE grain_state SET version = version + 1, payload = NULL
        WHERE grain_id = $grain_id AND state_name = $state_name AND version = $expected
        """;

    private readonly string _name;
    private readonly SqliteDatabaseLease _lease;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activatorProvider;

    public SqliteGrainStorage(string name, SqliteStorageOptions options, IActivatorProvider activatorProvider, ILogger<SqliteGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            throw new ArgumentException($"SQLite grain storage '{name}' has no {nameof(SqliteStorageOptions.DatabasePath)}.", nameof(options));
        }

        _name = name;
        _serializer = options.GrainStorageSerializer
            ?? throw new ArgumentException($"SQLite grain storage '{name}' has no {nameof(SqliteStorageOptions.GrainStorageSerializer)}.", nameof(options));
        _activatorProvider = activatorProvider;
        _lease = SqliteDatabase.Acquire(options.DatabasePath, options.Synchronous);
        logger.LogInformation(
            "SQLite grain storage {Name} on {Path} (WAL, synchronous={Synchronous})", name, _lease.Database.FullPath, options.Synchronous);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _lease.Database.FullPath;

    internal SqliteDatabase Database => _lease.Database;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();

            // A primary-key lookup takes microseconds; running it inline is cheaper than a hop to another thread.
            using var connection = _lease.Database.OpenReader();
            using var command = connection.CreateCommand();
            command.CommandText = SelectSql;
            command.Parameters.AddWithValue("$grain_id", grainId.ToString());
            command.Parameters.AddWithValue("$state_name", stateName);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                grainState.State = CreateState<T>();
                grainState.ETag = null;
                grainState.RecordExists = false;
            }
            else if (reader.IsDBNull(1))
            {
                grainState.State = CreateState<T>();
                grainState.ETag = FormatEtag(reader.GetInt64(0));
                grainState.RecordExists = false;
            }
            else
            {
                var state = _serializer.Deserialize<T>(BinaryData.FromString(reader.GetString(1)));
                grainState.State = state ?? CreateState<T>();
                grainState.ETag = FormatEtag(reader.GetInt64(0));
                grainState.RecordExists = true;
            }

            return Task.CompletedTask;
        }
        catch (Exception exception)
        {
            return Task.FromException(exception);
        }
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var grainKey = grainId.ToString();
        var currentEtag = grainState.ETag;
        if (!TryParseEtag(currentEtag, out var expected))
        {
            throw Conflict("write", stateName, grainKey, null, currentEtag);
        }

        // Serialize here, on the caller's thread, so that the single writer spends its time on SQL only. The JSON's
        // UTF-8 bytes go to SQLite as they are (bound as a blob, stored as TEXT by the CAST): a run's state carries a
        // checkpoint of up to megabytes, and a round trip through a .NET string would transcode it twice per epoch.
        var payload = Utf8(_serializer.Serialize(grainState.State));
        var change = await _lease.Database.WriteAsync(
            writer => Write(writer, grainKey, stateName, payload, expected),
            cancellationToken);
        if (!change.Applied)
        {
            throw Conflict("write", stateName, grainKey, change.Version, currentEtag);
        }

        grainState.ETag = FormatEtag(change.Version);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var grainKey = grainId.ToString();
        var currentEtag = grainState.ETag;
        if (!TryParseEtag(currentEtag, out var expected))
        {
            throw Conflict("clear", stateName, grainKey, null, currentEtag);
        }

        var change = await _lease.Database.WriteAsync(
            writer => Clear(writer, grainKey, stateName, expected),
            cancellationToken);
        if (!change.Applied)
        {
            throw Conflict("clear", stateName, grainKey, change.Version, currentEtag);
        }

        grainState.State = CreateState<T>();
        grainState.ETag = FormatEtag(change.Version);
        grainState.RecordExists = false;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(OptionFormattingUtilities.Name<SqliteGrainStorage>(_name), ServiceLifecycleStage.RuntimeStorageServices, VerifyReadableAsync);

    public void Dispose() => _lease.Dispose();

    public ValueTask DisposeAsync() => _lease.DisposeAsync();

    // The writer opened the file in the constructor; this proves the read path too, so that a bad path or a
    // permission problem stops the silo at start instead of failing the first grain activation.
    private Task VerifyReadableAsync(CancellationToken cancellationToken)
    {
        using var connection = _lease.Database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM grain_state WHERE 0";
        command.ExecuteScalar();
        return Task.CompletedTask;
    }

    private static byte[] Utf8(BinaryData json) =>
        MemoryMarshal.TryGetArray(json.ToMemory(), out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : json.ToArray();

    private static SqliteStateChange Write(SqliteWriter writer, string grainKey, string stateName, byte[] payload, long? expected)
    {
        SqliteCommand command;
        if (expected is null)
        {
            command = writer.Command(InsertSql);
        }
        else
        {
            command = writer.Command(UpdateSql);
            command.Parameters.AddWithValue("$expected", expected.Value);
        }

        command.Parameters.AddWithValue("$grain_id", grainKey);
        command.Parameters.AddWithValue("$state_name", stateName);
        command.Parameters.AddWithValue("$payload", payload);
        return command.ExecuteNonQuery() == 1
            ? SqliteStateChange.Accepted(expected is null ? 1 : expected.Value + 1)
            : SqliteStateChange.Refused(ReadVersion(writer, grainKey, stateName));
    }

    private static SqliteStateChange Clear(SqliteWriter writer, string grainKey, string stateName, long? expected)
    {
        if (expected is null)
        {
            // Nothing was ever read or written: clearing a missing record is a no-op, an existing one a conflict.
            var stored = ReadVersion(writer, grainKey, stateName);
            return stored is null ? SqliteStateChange.Accepted(null) : SqliteStateChange.Refused(stored);
        }

        var command = writer.Command(ClearSql);
        command.Parameters.AddWithValue("$grain_id", grainKey);
        command.Parameters.AddWithValue("$state_name", stateName);
        command.Parameters.AddWithValue("$expected", expected.Value);
        return command.ExecuteNonQuery() == 1
            ? SqliteStateChange.Accepted(expected.Value + 1)
            : SqliteStateChange.Refused(ReadVersion(writer, grainKey, stateName));
    }

    private static long? ReadVersion(SqliteWriter writer, string grainKey, string stateName)
    {
        var command = writer.Command(SelectVersionSql);
        command.Parameters.AddWithValue("$grain_id", grainKey);
        command.Parameters.AddWithValue("$state_name", stateName);
        return command.ExecuteScalar() is long version ? version : null;
    }

    private static bool TryParseEtag(string? etag, out long? version)
    {
        version = null;
        if (etag is null)
        {
            return true;
        }

        if (long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            version = parsed;
            return true;
        }

        return false;
    }

    private static string? FormatEtag(long? version) => version?.ToString(CultureInfo.InvariantCulture);

    private InconsistentStateException Conflict(string operation, string stateName, string grainKey, long? stored, string? current) =>
        new(
            $"SQLite grain storage '{_name}' refused to {operation} state '{stateName}' of grain {grainKey}: " +
            $"the stored etag is {FormatEtag(stored) ?? "(none)"}, the grain holds {current ?? "(none)"}.",
            FormatEtag(stored),
            current);

    private T CreateState<T>() => _activatorProvider.GetActivator<T>().Create();
}
