using System.Globalization;
using System.Reflection;
using Npgsql;

namespace ExperimentCluster.Silo.Postgres;

/// <summary>
/// Creates the tables of postgres mode when they are missing, and adds later ones: the scripts embedded from
/// Postgres/Schema (NNN-name.sql, applied in order, each once). The Orleans ADO.NET packages 10.4.2 ship no SQL (their
/// packages hold only assemblies), so the Orleans tables and the statements the providers look up in OrleansQuery are
/// written here for the providers' published query contract. Tables of the project's own (a checkpoint store, say)
/// are further numbered scripts in the same folder.
/// </summary>
public static class PostgresSchema
{
    /// <summary>
    /// The key of the advisory lock taken while the schema is checked ("excl" in ASCII). The scripts are not idempotent
    /// (CREATE TABLE, INSERT of query rows), and several silos start at once: without the lock, two would both see a
    /// script as missing, and the second's CREATE TABLE would fail. Under the lock the first applies and records each
    /// script; the others wait, then find it recorded.
    /// </summary>
    private const long LockKey = 0x6578636C;

    private const string ResourcePrefix = "postgres/";

    /// <summary>The embedded scripts by version, in order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    /// <summary>The newest version this build knows.</summary>
    public static int LatestVersion => Scripts[^1].Version;

    /// <summary>Applies, in one transaction under the lock, each script that the database has not recorded; returns how many.</summary>
    public static async Task<int> EnsureAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Transaction-scoped: released by the commit or by the connection's end, even if this silo dies half-way.
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS excl_schema_version (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);
        var applied = new HashSet<int>();
        await using (var read = new NpgsqlCommand("SELECT version FROM excl_schema_version", connection))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                applied.Add(reader.GetInt32(0));
        }
        if (applied.Count > 0 && applied.Max() > LatestVersion)
            throw new PostgresStartupException($"{PostgresConnection.Setting}: the database's schema is version {applied.Max()}, newer than this build's {LatestVersion}; run a newer silo");
        var count = 0;
        foreach (var (version, name, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
        {
            await ExecuteAsync(connection, sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO excl_schema_version (version, name) VALUES ($1, $2)", connection);
            record.Parameters.Add(new NpgsqlParameter { Value = version });
            record.Parameters.Add(new NpgsqlParameter { Value = name });
            await record.ExecuteNonQueryAsync(cancellationToken);
            count++;
        }
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<(int, string, string)> LoadScripts()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: int.Parse(n[ResourcePrefix.Length..].Split('-')[0], CultureInfo.InvariantCulture), Name: n[ResourcePrefix.Length..], Sql: Read(assembly, n)))
            .OrderBy(s => s.Version)
            .ToList();
        if (scripts.Count == 0 || scripts.Select(s => s.Version).Distinct().Count() != scripts.Count)
            throw new InvalidOperationException("the embedded PostgreSQL scripts are missing or share a number");
        return scripts;
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
