using ExperimentCluster.Contracts;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// Prints a sweep's events as JSON lines so that each run's epochs appear once each, 1..N in order, before its finish
/// line. The sweep's event buffer lives in its activation's memory: when the silo holding it dies, the new activation
/// numbers events anew from its stored state, which may be a few epochs behind what was printed (repeats, skipped
/// here) or behind what the runs report next (a gap, filled here from the run's own stored trajectory).
/// </summary>
internal sealed class EventLineWriter(IGrainFactory grains, string sweepId)
{
    private readonly Dictionary<int, int> _printed = [];
    private readonly HashSet<int> _finished = [];

    public async Task WriteAsync(SweepEvent e)
    {
        if (e.Status.IsFinished())
        {
            if (_finished.Add(e.Run))
                Console.WriteLine(LiveView.EventLine(e));
            return;
        }
        if (e.Epoch is not { } epoch || _finished.Contains(e.Run))
            return;
        var printed = _printed.GetValueOrDefault(e.Run);
        if (epoch.Epoch <= printed)
            return;
        if (epoch.Epoch > printed + 1)
        {
            foreach (var missing in await MissingAsync(e.Run, printed, epoch.Epoch))
                Console.WriteLine(LiveView.EventLine(e with { Epoch = missing }));
        }
        _printed[e.Run] = epoch.Epoch;
        Console.WriteLine(LiveView.EventLine(e));
    }

    /// <summary>The run's stored epochs strictly between two; none if the run cannot be read now (the stream goes on).</summary>
    private async Task<IEnumerable<EpochRecord>> MissingAsync(int run, int after, int before)
    {
        try
        {
            var detail = await grains.Run(sweepId, run).GetDetailAsync(0).WaitAsync(TimeSpan.FromSeconds(10));
            return detail?.Metrics.Where(m => m.Epoch > after && m.Epoch < before) ?? [];
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return [];
        }
    }
}
