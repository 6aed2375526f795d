using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace ExperimentCluster.Grains;

/// <summary>
/// The silo's training slots: at most N runs train at once, so that training never takes every thread that
/// Orleans' own messaging and membership probes need. Also measures busy slot-seconds for utilisation.
/// </summary>
public sealed class TrainingSlots(IOptions<ExperimentOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.TrainingSlots));
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private long _busyTicks;
    private int _inUse;
    private int _waiting;

    public int Capacity { get; } = Math.Max(1, options.Value.TrainingSlots);

    public int InUse => Volatile.Read(ref _inUse);

    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Slot-seconds spent computing so far (training, checkpointing, building trainers): not merely held.</summary>
    public double BusySeconds => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks)).TotalSeconds;

    /// <summary>Slot-seconds available since the silo started.</summary>
    public double AvailableSeconds => Stopwatch.GetElapsedTime(_startedAt).TotalSeconds * Capacity;

    public async Task<Lease> AcquireAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(true);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        Interlocked.Increment(ref _inUse);
        return new Lease(this);
    }

    /// <summary>Runs a piece of a held slot's work on the thread pool and counts its time as busy.</summary>
    public Task<T> ComputeAsync<T>(Func<T> work, CancellationToken cancellationToken) => Task.Run(() =>
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - start);
        }
    }, cancellationToken);

    public void Dispose() => _slots.Dispose();

    private void Release()
    {
        Interlocked.Decrement(ref _inUse);
        _slots.Release();
    }

    /// <summary>A held slot; disposing gives it back once.</summary>
    public sealed class Lease(TrainingSlots owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                owner.Release();
        }
    }
}
