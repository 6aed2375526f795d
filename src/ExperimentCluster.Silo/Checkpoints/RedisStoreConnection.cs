using StackExchange.Redis;

namespace ExperimentCluster.Silo.Checkpoints;

/// <summary>
/// The one Redis connection of a silo's checkpoint and trajectory stores, opened on first use (a silo starts while Redis
/// is away) and re-established by the client after Redis restarts.
/// </summary>
public sealed class RedisStoreConnection(ConfigurationOptions options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } open)
            return open.GetDatabase();
        await _connecting.WaitAsync(cancellationToken);
        try
        {
            _connection ??= await ConnectionMultiplexer.ConnectAsync(options);
            return _connection.GetDatabase();
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
        _connecting.Dispose();
    }
}
