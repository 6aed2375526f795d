using ExperimentCluster.EndToEnd.Tests.Cluster;
using ExperimentCluster.EndToEnd.Tests.Postgres;
using ExperimentCluster.Grains.Checkpoints;
using ExperimentCluster.Grains.Trajectories;
using ExperimentCluster.Silo;
using ExperimentCluster.Silo.Checkpoints;
using ExperimentCluster.Silo.Postgres;
using ExperimentCluster.Silo.Storage;
using Npgsql;

namespace ExperimentCluster.EndToEnd.Tests.Checkpoints;

/// <summary>
/// The real servers behind the checkpoint stores, started once for a test class: a SQLite file in a temporary folder, a
/// private redis-server and a private PostgreSQL (its schema ensured as a silo does). <see cref="OpenAsync"/> gives a
/// fresh store on them, as a silo that starts (again) gets one.
/// </summary>
public sealed class CheckpointStores : IAsyncLifetime
{
    public static readonly TheoryData<string> Kinds = new() { "sqlite", "redis", "postgres" };

    private readonly string _folder = Programs.TempFolder();
    private RedisServer? _redis;
    private PostgresServer? _postgres;
    private NpgsqlDataSource? _postgresPool;

    private string SqlitePath => Path.Combine(_folder, "experiments.db");

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _postgres = await PostgresServer.StartAsync();
        await _postgres.CreateDatabaseAsync("checkpoints");
        _postgresPool = PostgresConnection.Create(_postgres.ConnectionString("checkpoints"), PostgresServer.Password);
        await PostgresSchema.EnsureAsync(_postgresPool, CancellationToken.None);
    }

    /// <summary>A new store of that kind on the shared server; dispose it to close its connections.</summary>
    public OpenStore Open(string kind) => kind switch
    {
        "sqlite" => new OpenStore(new SqliteCheckpointStore(SqlitePath)),
        "redis" => RedisConnected(c => new OpenStore(new RedisCheckpointStore(c), c)),
        "postgres" => new OpenStore(new PostgresCheckpointStore(_postgresPool!)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such checkpoint store"),
    };

    /// <summary>A new trajectory store of that kind on the shared server.</summary>
    public OpenTrajectories OpenTrajectories(string kind) => kind switch
    {
        "sqlite" => new OpenTrajectories(new SqliteTrajectoryStore(SqlitePath)),
        "redis" => RedisConnected(c => new OpenTrajectories(new RedisTrajectoryStore(c), c)),
        "postgres" => new OpenTrajectories(new PostgresTrajectoryStore(_postgresPool!)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such trajectory store"),
    };

    private T RedisConnected<T>(Func<RedisStoreConnection, T> open) => open(new RedisStoreConnection(RedisConnection.Parse(_redis!.Address, null)));

    public async Task DisposeAsync()
    {
        _redis?.Dispose();
        if (_postgresPool is not null)
            await _postgresPool.DisposeAsync();
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}

/// <summary>One store of either kind, with the byte counter every implementation keeps, closed on dispose.</summary>
public abstract class OpenedStore<T>(T store, RedisStoreConnection? redis) : IAsyncDisposable where T : class
{
    public T Store { get; } = store;

    public long BytesWritten => Store switch
    {
        SqliteCheckpointStore s => s.BytesWritten,
        RedisCheckpointStore r => r.BytesWritten,
        PostgresCheckpointStore p => p.BytesWritten,
        SqliteTrajectoryStore s => s.BytesWritten,
        RedisTrajectoryStore r => r.BytesWritten,
        PostgresTrajectoryStore p => p.BytesWritten,
        _ => throw new InvalidOperationException("unknown store"),
    };

    public async ValueTask DisposeAsync()
    {
        if (Store is IAsyncDisposable d)
            await d.DisposeAsync();
        if (redis is not null)
            await redis.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A checkpoint store under test.</summary>
public sealed class OpenStore(ICheckpointStore store, RedisStoreConnection? redis = null) : OpenedStore<ICheckpointStore>(store, redis);

/// <summary>A trajectory store under test.</summary>
public sealed class OpenTrajectories(ITrajectoryStore store, RedisStoreConnection? redis = null) : OpenedStore<ITrajectoryStore>(store, redis);
