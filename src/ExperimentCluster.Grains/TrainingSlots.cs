using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace ExperimentCluster.Grains;

/// <summary>
/// The silo's training slots: at most N runs train at once, so that training never takes every thread that
/// Orleans' own messaging and membership probes need. Also measures busy slot-seconds for utilisation.
/// Training runs on N dedicated threads, not on the thread pool: an epoch holds its thread for tens of milliseconds,
/// and on the pool the storage writer and the grains' turns queued behind it (measured with the `sweep` benchmark, bench/ExperimentCluster.Bench, 2
/// slots on 2 cores: a 1.6 MB checkpoint write took about 40 ms there, of which SQLite's own work is 0.6 ms).
/// </summary>
public sealed class TrainingSlots : IDisposable
{
    private readonly Lock _gate = new();
    // Two queues of waiters, served resumed first: a run resumed after its silo died has a trajectory in progress (and
    // people watching it), so it must not wait behind runs that have not trained an epoch yet. Without this a killed
    // run, woken onto a survivor, queued behind every never-started run placed there and waited minutes (220 s seen
    // with three silos) while those took each slot that came free. Within a queue, first come first served.
    private readonly LinkedList<TaskCompletionSource<Lease>> _resumed = [];
    private readonly LinkedList<TaskCompletionSource<Lease>> _fresh = [];
    private int _free;
    private readonly SemaphoreSlim _several = new(1, 1);
    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread[] _threads;
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private long _busyTicks;
    private int _inUse;
    private int _waiting;

    public TrainingSlots(IOptions<ExperimentOptions> options)
    {
        Capacity = Math.Max(1, options.Value.TrainingSlots);
        _free = Capacity;
        _threads = new Thread[Capacity];
        for (var i = 0; i < Capacity; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"excl-training-{i}" };
            _threads[i].Start();
        }
    }

    public int Capacity { get; }

    public int InUse => Volatile.Read(ref _inUse);

    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Slot-seconds spent computing so far (training, checkpointing, building trainers): not merely held.</summary>
    public double BusySeconds => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks)).TotalSeconds;

    /// <summary>Slot-seconds available since the silo started.</summary>
    public double AvailableSeconds => Stopwatch.GetElapsedTime(_startedAt).TotalSeconds * Capacity;

    /// <summary>
    /// Waits for a free slot. <paramref name="resumed"/>: the run continues from a checkpoint (it was interrupted, most
    /// often by its silo's death), and goes ahead of every waiting run that starts from scratch.
    /// </summary>
    public async Task<Lease> AcquireAsync(bool resumed, CancellationToken cancellationToken)
    {
        TaskCompletionSource<Lease> waiter;
        LinkedListNode<TaskCompletionSource<Lease>> node;
        lock (_gate)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_free > 0 && _resumed.Count == 0 && _fresh.Count == 0)
            {
                _free--;
                Interlocked.Increment(ref _inUse);
                return new Lease(this);
            }
            // Continuations go back to the caller's scheduler (the grain), never onto the releasing thread.
            waiter = new TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = (resumed ? _resumed : _fresh).AddLast(waiter);
            Interlocked.Increment(ref _waiting);
        }
        using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                // Still queued: leave the queue. Already handed a slot (the node is out of its list): keep it, the
                // caller gets the lease and disposes it.
                if (node.List is null)
                    return;
                node.List.Remove(node);
                Interlocked.Decrement(ref _waiting);
            }
            waiter.TrySetCanceled(cancellationToken);
        });
        return await waiter.Task.ConfigureAwait(true);
    }

    /// <summary>
    /// <paramref name="count"/> slots for one holder (a command trial's `slots`). They are taken one at a time under a gate
    /// of this silo's, so two such holders never each hold part of what they need and wait for the rest forever; a holder
    /// of one slot never waits at the gate.
    /// </summary>
    public async Task<IReadOnlyList<Lease>> AcquireAsync(int count, bool resumed, CancellationToken cancellationToken)
    {
        if (count == 1)
            return [await AcquireAsync(resumed, cancellationToken)];
        var held = new List<Lease>(count);
        await _several.WaitAsync(cancellationToken);
        try
        {
            for (var i = 0; i < count; i++)
                held.Add(await AcquireAsync(resumed, cancellationToken));
            return held;
        }
        catch
        {
            held.ForEach(l => l.Dispose());
            throw;
        }
        finally
        {
            _several.Release();
        }
    }

    /// <summary>
    /// Runs a piece of a held slot's work on a training thread and counts its time as busy. A holder has at most one
    /// piece in flight, so no piece waits for a thread while its slot is held.
    /// </summary>
    public Task<T> ComputeAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        // Continuations go back to the caller's scheduler (the grain), never onto the training thread.
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            if (cancellationToken.IsCancellationRequested)
            {
                done.TrySetCanceled(cancellationToken);
                return;
            }
            var start = Stopwatch.GetTimestamp();
            try
            {
                done.TrySetResult(work());
            }
            catch (OperationCanceledException e) when (e.CancellationToken == cancellationToken)
            {
                done.TrySetCanceled(cancellationToken);
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
            finally
            {
                Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - start);
            }
        }, CancellationToken.None);
        return done.Task;
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _several.Dispose();
        foreach (var thread in _threads)
            thread.Join(TimeSpan.FromSeconds(30));
        _work.Dispose();
    }

    private void Work()
    {
        foreach (var item in _work.GetConsumingEnumerable())
            item();
    }

    /// <summary>Hands the slot straight to the next waiter (resumed runs first), or frees it.</summary>
    private void Release()
    {
        TaskCompletionSource<Lease>? next = null;
        lock (_gate)
        {
            var queue = _resumed.Count > 0 ? _resumed : _fresh;
            if (queue.First is { } first)
            {
                queue.RemoveFirst();
                Interlocked.Decrement(ref _waiting);
                next = first.Value;
            }
            else
            {
                Interlocked.Decrement(ref _inUse);
                _free++;
            }
        }
        next?.TrySetResult(new Lease(this));
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
