using System.Collections.Concurrent;
using ExperimentCluster.Grains.Checkpoints;

namespace ExperimentCluster.Grains.Tests.Checkpoints;

/// <summary>A real checkpoint store that also records every put (sweep, run, version), for tests that count them.</summary>
internal sealed class CountingCheckpointStore(ICheckpointStore inner, ConcurrentQueue<(string Sweep, int Run, long Version)> puts) : ICheckpointStore
{
    public async Task<string> PutAsync(string sweepId, int run, long version, byte[] bytes, CancellationToken cancellationToken = default)
    {
        var key = await inner.PutAsync(sweepId, run, version, bytes, cancellationToken);
        puts.Enqueue((sweepId, run, version));
        return key;
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<int> DeleteAsync(string sweepId, int run, Func<string, bool> keep, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(sweepId, run, keep, cancellationToken);
}
