using ExperimentCluster.Grains.Checkpoints;
using ExperimentCluster.Silo.Postgres;
using ExperimentCluster.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace ExperimentCluster.Silo.Checkpoints;

/// <summary>One registration per checkpoint store, each beside the grain storage of its mode (SiloBuilderExtensions).</summary>
public static class CheckpointStoreSiloBuilderExtensions
{
    /// <summary>Checkpoints in the embedded SQLite file (shared with grain state and reminders).</summary>
    public static ISiloBuilder AddSqliteCheckpoints(this ISiloBuilder silo, string databasePath)
    {
        silo.Services.AddSingleton<ICheckpointStore>(_ => new SqliteCheckpointStore(databasePath));
        return silo;
    }

    /// <summary>Checkpoints in Redis (the grain state's server).</summary>
    public static ISiloBuilder AddRedisCheckpoints(this ISiloBuilder silo, ConfigurationOptions redis)
    {
        silo.Services.AddSingleton<ICheckpointStore>(_ => new RedisCheckpointStore(redis));
        return silo;
    }

    /// <summary>Checkpoints in PostgreSQL (the grain state's database and pool; the table comes with the schema).</summary>
    public static ISiloBuilder AddPostgresCheckpoints(this ISiloBuilder silo, NpgsqlDataSource db)
    {
        silo.Services.AddSingleton<ICheckpointStore>(_ => new PostgresCheckpointStore(db));
        return silo;
    }
}
