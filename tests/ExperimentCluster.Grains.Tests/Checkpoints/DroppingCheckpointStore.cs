using System.Collections.Concurrent;
using ExperimentCluster.Grains.Checkpoints;

namespace ExperimentCluster.Grains.Tests.Checkpoints;

/// <summary>
/// A real checkpoint store whose connection "drops" the first <c>failures</c> puts and the first <c>failures</c> reads of
/// each run: they throw the <see cref="TaskCanceledException"/> that the Redis client throws for the commands in flight
/// when Redis goes away (seen in a CI run that stopped Redis mid-sweep). The call after them goes through. The silos of a
/// test cluster share <c>tries</c>: per ("put" or "get", sweep, run), the calls made, counted up to the first that went through.
/// </summary>
internal sealed class DroppingCheckpointStore(ICheckpointStore inner, int failures, ConcurrentDictionary<(string Call, string Sweep, int Run), int> tries)
    : ICheckpointStore
{
    public Task<string> PutAsync(string sweepId, int run, long version, byte[] bytes, CancellationToken cancellationToken = default) =>
        Dropped("put", sweepId, run) ? Drop<string>() : inner.PutAsync(sweepId, run, version, bytes, cancellationToken);

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var (sweepId, run, _, _) = CheckpointKey.Parse(key);
        return Dropped("get", sweepId, run) ? Drop<byte[]?>() : inner.GetAsync(key, cancellationToken);
    }

    public Task<int> DeleteAsync(string sweepId, int run, Func<string, bool> keep, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(sweepId, run, keep, cancellationToken);

    private bool Dropped(string call, string sweepId, int run) =>
        tries.AddOrUpdate((call, sweepId, run), 1, (_, n) => Math.Min(n + 1, failures + 1)) <= failures;

    private static Task<T> Drop<T>() => Task.FromException<T>(new TaskCanceledException("the connection dropped the command"));
}
