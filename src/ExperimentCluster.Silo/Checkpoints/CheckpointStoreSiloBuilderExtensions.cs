using ExperimentCluster.Grains.Checkpoints;
using ExperimentCluster.Grains.Trajectories;
using ExperimentCluster.Silo.Postgres;
using ExperimentCluster.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace ExperimentCluster.Silo.Checkpoints;

/// <summary>
/// One registration per storage mode for the run data kept beside grain state, the checkpoint store and the trajectory
/// store, each called beside the grain storage of its mode (SiloBuilderExtensions).
/// </summary>
public static class CheckpointStoreSiloBuilderExtensions
{
    /// <summary>Checkpoints and trajectories in the embedded SQLite file (shared with grain state and reminders).</summary>
    public static ISiloBuilder AddSqliteCheckpoints(this ISiloBuilder silo, string databasePath)
    {
        silo.Services.AddSingleton<ICheckpointStore>(_ => new SqliteCheckpointStore(databasePath));
        silo.Services.AddSingleton<ITrajectoryStore>(_ => new SqliteTrajectoryStore(databasePath));
        return silo;
    }

    /// <summary>Checkpoints and trajectories in Redis (the grain state's server, one connection for both).</summary>
    public static ISiloBuilder AddRedisCheckpoints(this ISiloBuilder silo, ConfigurationOptions redis)
    {
        silo.Services.AddSingleton(_ => new RedisStoreConnection(redis));
        silo.Services.AddSingleton<ICheckpointStore>(sp => new RedisCheckpointStore(sp.GetRequiredService<RedisStoreConnection>()));
        silo.Services.AddSingleton<ITrajectoryStore>(sp => new RedisTrajectoryStore(sp.GetRequiredService<RedisStoreConnection>()));
        return silo;
    }

    /// <summary>Checkpoints and trajectories in PostgreSQL (the grain state's database and pool; the tables come with the schema).</summary>
    public static ISiloBuilder AddPostgresCheckpoints(this ISiloBuilder silo, NpgsqlDataSource db)
    {
        silo.Services.AddSingleton<ICheckpointStore>(_ => new PostgresCheckpointStore(db));
        silo.Services.AddSingleton<ITrajectoryStore>(_ => new PostgresTrajectoryStore(db));
        return silo;
    }
}
