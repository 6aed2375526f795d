using ExperimentCluster.Grains.Checkpoints;

namespace ExperimentCluster.Grains.Tests.Checkpoints;

/// <summary>
/// A real checkpoint store with a crash in it: once armed, the first put of a high enough version on one of the eligible
/// silos stores its bytes and then never returns, so the run never writes the state that would point at them; the test
/// then kills that silo. Every other call goes straight through.
/// </summary>
internal sealed class CrashingCheckpointStore(ICheckpointStore inner, string silo) : ICheckpointStore
{
    private static readonly Lock Gate = new();
    private static IReadOnlySet<string> _eligible = new HashSet<string>();
    private static long _minVersion;
    private static TaskCompletionSource<(string Silo, string Key)>? _crashed;
    private static CancellationTokenSource _hang = new();

    /// <summary>Arms the crash for the next put of at least <paramref name="minVersion"/> on one of <paramref name="silos"/>.</summary>
    public static Task<(string Silo, string Key)> Arm(IReadOnlySet<string> silos, long minVersion)
    {
        lock (Gate)
        {
            _eligible = silos;
            _minVersion = minVersion;
            _crashed = new TaskCompletionSource<(string, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
            _hang = new CancellationTokenSource();
            return _crashed.Task;
        }
    }

    public async Task<string> PutAsync(string sweepId, int run, long version, byte[] bytes, CancellationToken cancellationToken = default)
    {
        var key = await inner.PutAsync(sweepId, run, version, bytes, cancellationToken);
        TaskCompletionSource<(string, string)>? crash = null;
        lock (Gate)
        {
            if (_crashed is { Task.IsCompleted: false } armed && version >= _minVersion && _eligible.Contains(silo))
                crash = armed;
        }
        if (crash is not null && crash.TrySetResult((silo, key)))
        {
            // Hangs until the test ends it (Release): a put that never returned must not outlive its test in the process.
            using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _hang.Token);
            await Task.Delay(Timeout.Infinite, both.Token);
        }
        return key;
    }

    /// <summary>Ends the hung put (it throws as cancelled), once the test no longer needs the crash.</summary>
    public static void Release()
    {
        lock (Gate)
            _hang.Cancel();
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<int> DeleteAsync(string sweepId, int run, Func<string, bool> keep, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(sweepId, run, keep, cancellationToken);
}
