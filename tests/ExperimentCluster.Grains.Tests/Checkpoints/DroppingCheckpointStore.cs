using System.Collections.Concurrent;
using ExperimentCluster.Grains.Checkpoints;

namespace ExperimentCluster.Grains.Tests.Checkpoints;

/// <summary>
/// A real checkpoint store whose connection "drops" for the first <c>failures</c> puts of each run: they throw the
/// <see cref="TaskCanceledException"/> that the Redis client throws for the commands in flight when Redis goes away
/// (seen in a CI run that stopped Redis mid-sweep). The put after them goes through.
/// </summary>
internal sealed class DroppingCheckpointStore(ICheckpointStore inner, int failures) : ICheckpointStore
{
    private readonly ConcurrentDictionary<(string Sweep, int Run), int> _puts = new();

    /// <summary>The puts tried per run, counted up to the first that went through (<c>failures</c> + 1).</summary>
    public IReadOnlyDictionary<(string Sweep, int Run), int> Puts => _puts;

    public Task<string> PutAsync(string sweepId, int run, long version, byte[] bytes, CancellationToken cancellationToken = default)
    {
        var tried = _puts.AddOrUpdate((sweepId, run), 1, (_, n) => Math.Min(n + 1, failures + 1));
        return tried <= failures
            ? Task.FromException<string>(new TaskCanceledException("the connection dropped the command"))
            : inner.PutAsync(sweepId, run, version, bytes, cancellationToken);
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<int> DeleteAsync(string sweepId, int run, Func<string, bool> keep, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(sweepId, run, keep, cancellationToken);
}
