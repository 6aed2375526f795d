using ExperimentCluster.CommandTrials;
using Microsoft.Extensions.Options;

namespace ExperimentCluster.Grains;

/// <summary>
/// The GPUs of this silo (`Experiments:Commands:Gpus`): a trial that asks for N gets N ids of its own, exclusively, for
/// as long as it runs, and waits while too few are free. First come, first served, so a trial that asks for many is not
/// overtaken forever by trials that ask for one.
/// </summary>
public sealed class GpuPool(IOptions<ExperimentOptions> options)
{
    private readonly Lock _gate = new();
    private readonly List<string> _free = [.. options.Value.Commands.Gpus];
    private readonly LinkedList<(int Count, TaskCompletionSource<Lease> Waiter)> _waiting = [];

    public int Count { get; } = options.Value.Commands.Gpus.Count;

    public async Task<Lease> AcquireAsync(int count, CancellationToken cancellationToken)
    {
        if (count == 0)
            return new Lease(this, []);
        if (count > Count)
            throw new TrialFailedException($"the trial asks for {count} GPUs (command.gpus) and this silo has {Count} ({CommandSettings.Section}:Gpus)");
        TaskCompletionSource<Lease> waiter;
        LinkedListNode<(int, TaskCompletionSource<Lease>)> node;
        lock (_gate)
        {
            if (_waiting.Count == 0 && _free.Count >= count)
                return Take(count);
            waiter = new TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiting.AddLast((count, waiter));
        }
        using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (node.List is null)
                    return;
                _waiting.Remove(node);
            }
            waiter.TrySetCanceled(cancellationToken);
            // The waiter that left may have been all that held back those behind it (first come, first served).
            Serve([]);
        });
        return await waiter.Task.ConfigureAwait(true);
    }

    private Lease Take(int count)
    {
        var ids = _free.Take(count).ToList();
        _free.RemoveRange(0, count);
        return new Lease(this, ids);
    }

    /// <summary>Takes back <paramref name="returned"/> and hands what is free to the waiters in order, as far as it goes.</summary>
    private void Serve(IReadOnlyList<string> returned)
    {
        var served = new List<(TaskCompletionSource<Lease>, Lease)>();
        lock (_gate)
        {
            _free.AddRange(returned);
            while (_waiting.First is { } first && _free.Count >= first.Value.Count)
            {
                _waiting.RemoveFirst();
                served.Add((first.Value.Waiter, Take(first.Value.Count)));
            }
        }
        foreach (var (waiter, lease) in served)
        {
            if (!waiter.TrySetResult(lease))
                lease.Dispose();
        }
    }

    /// <summary>Held GPU ids; disposing gives them back once.</summary>
    public sealed class Lease(GpuPool owner, IReadOnlyList<string> ids) : IDisposable
    {
        private int _released;

        public IReadOnlyList<string> Ids { get; } = ids;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0 && Ids.Count > 0)
                owner.Serve(Ids);
        }
    }
}
