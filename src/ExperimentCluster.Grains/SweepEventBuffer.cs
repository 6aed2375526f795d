using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains;

/// <summary>
/// The live events of one sweep for its watchers: numbered in order, in memory, the newest <see cref="Capacity"/> kept.
/// A new activation numbers on from the stored count of epochs and finished runs, so a watcher that saw numbers above
/// that knows the sweep restarted.
/// </summary>
internal sealed class SweepEventBuffer(long lastSequence)
{
    private const int Capacity = 50_000;

    private readonly Queue<SweepEvent> _events = new();

    public long LastSequence { get; private set; } = lastSequence;

    public void Add(int run, RunStatus status, EpochRecord? epoch, string? reason)
    {
        _events.Enqueue(new SweepEvent(++LastSequence, run, status, epoch, reason));
        while (_events.Count > Capacity)
            _events.Dequeue();
    }

    /// <summary>The events after <paramref name="afterSequence"/> (at most <paramref name="max"/>) and how many of them the buffer no longer holds.</summary>
    public (List<SweepEvent> Events, long Dropped) After(long afterSequence, int max)
    {
        if (afterSequence > LastSequence)
            afterSequence = 0; // the sweep restarted and numbers its events anew
        var first = _events.Count > 0 ? _events.Peek().Sequence : LastSequence + 1;
        var dropped = Math.Max(0, first - afterSequence - 1);
        return (_events.Where(e => e.Sequence > afterSequence).Take(Math.Clamp(max, 1, 10_000)).ToList(), dropped);
    }
}
