using Npgsql;

namespace ExperimentCluster.Silo.Postgres;

/// <summary>
/// The PostgreSQL client settings of postgres mode, shared by the silo's three Orleans providers (one connection pool),
/// by the schema step, by clients that discover gateways, and by any store of the project's own that lives there.
/// </summary>
public static class PostgresConnection
{
    /// <summary>The ADO.NET invariant the Orleans providers know Npgsql by.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The setting's name in messages.</summary>
    public const string Setting = "Cluster:Postgres";

    /// <summary>Checks a connection string (keys Npgsql knows, a host), naming the setting; returns it parsed.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string? connectionString, string setting = Setting)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ArgumentException($"{setting}: postgres mode needs a PostgreSQL connection string, e.g. \"Host=postgres;Database=excl;Username=excl\" (see deploy/README.md)");
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"{setting}: not a PostgreSQL connection string ({e.Message})", e);
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new ArgumentException($"{setting}: the connection string names no Host");
        return builder;
    }

    /// <summary>One pool of connections; the password, kept apart from the connection string so that it can come from a secret, wins.</summary>
    public static NpgsqlDataSource Create(string connectionString, string? password)
    {
        var builder = new NpgsqlDataSourceBuilder(Parse(connectionString).ConnectionString);
        if (!string.IsNullOrEmpty(password))
            builder.ConnectionStringBuilder.Password = password;
        // Statements are re-sent on a new connection after PostgreSQL restarts, not re-used from a dead one's cache.
        builder.ConnectionStringBuilder.NoResetOnClose = false;
        return builder.Build();
    }

    /// <summary>The connection string without its password, for a command excl prints; the password comes from the environment.</summary>
    public static string WithoutPassword(string connectionString)
    {
        var b = Parse(connectionString);
        b.Password = null;
        return b.ConnectionString;
    }

    /// <summary>Where the server is, for messages ("host:5432/database"); never the password.</summary>
    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{b.Host}:{b.Port}/{b.Database ?? b.Username ?? "(default database)"}";
    }
}
