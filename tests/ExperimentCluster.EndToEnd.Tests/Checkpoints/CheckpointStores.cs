using ExperimentCluster.EndToEnd.Tests.Cluster;
using ExperimentCluster.EndToEnd.Tests.Postgres;
using ExperimentCluster.Grains.Checkpoints;
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
        "redis" => new OpenStore(new RedisCheckpointStore(RedisConnection.Parse(_redis!.Address, null))),
        "postgres" => new OpenStore(new PostgresCheckpointStore(_postgresPool!)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such checkpoint store"),
    };

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

/// <summary>One store, with the byte counter every implementation keeps, closed on dispose.</summary>
public sealed class OpenStore(ICheckpointStore store) : IAsyncDisposable
{
    public ICheckpointStore Store { get; } = store;

    public long BytesWritten => Store switch
    {
        SqliteCheckpointStore s => s.BytesWritten,
        RedisCheckpointStore r => r.BytesWritten,
        PostgresCheckpointStore p => p.BytesWritten,
        _ => throw new InvalidOperationException("unknown store"),
    };

    public ValueTask DisposeAsync() => Store is IAsyncDisposable d ? d.DisposeAsync() : ValueTask.CompletedTask;
}
