using System.Diagnostics.Metrics;

namespace ExperimentCluster.Grains;

/// <summary>
/// Collects the sweep coordinators' state-write times in this process (the `excl.coordinator.flush.duration` histogram),
/// by sweep size: how the benchmark and the 100,000-run test read the flush time at 1,000 runs against the flush time at
/// the end. Listens from construction to disposal.
/// </summary>
public sealed class CoordinatorFlushes : IDisposable
{
    private readonly MeterListener _listener = new();

    // Every write in the order made: its sweep's size (a power of ten) and its seconds.
    private readonly List<(int Decade, double Seconds)> _writes = [];
    private readonly Lock _lock = new();

    public CoordinatorFlushes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ExperimentMetrics.MeterName && instrument.Name == ExperimentMetrics.FlushDurationName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "runs", Value: int decade })
                {
                    lock (_lock)
                        _writes.Add((decade, seconds));
                }
            }
        });
        _listener.Start();
    }

    /// <summary>The writes made while the sweep had <paramref name="decade"/> to 10 x <paramref name="decade"/> - 1 runs.</summary>
    public int Count(int decade)
    {
        lock (_lock)
            return _writes.Count(w => w.Decade == decade);
    }

    /// <summary>The median write time (seconds) while the sweep had <paramref name="decade"/> to 10 x <paramref name="decade"/> - 1 runs; null without one.</summary>
    public double? Median(int decade)
    {
        lock (_lock)
            return MedianOf(_writes.Where(w => w.Decade == decade));
    }

    /// <summary>The median of the last <paramref name="count"/> writes (the sweep's end); null without one.</summary>
    public double? MedianOfLast(int count)
    {
        lock (_lock)
            return MedianOf(_writes.TakeLast(count));
    }

    /// <summary>
    /// The lines the benchmark and the 100,000-run test print: the median write by sweep size from 1,000 runs up to
    /// <paramref name="runs"/>, then that of the last 50 writes against the one at 1,000-9,999 runs (issue 14's goal: at
    /// most 2x; the top decade of sizes may hold only the last couple of writes, so "the end" is the last 50).
    /// </summary>
    public IEnumerable<string> Report(int runs)
    {
        for (var d = 1000; d <= runs; d *= 10)
            yield return $"coordinator flush at {d:N0}-{d * 10 - 1:N0} runs: median {Median(d) * 1000:0.00} ms over {Count(d)} writes";
        if (Median(1000) is { } early && MedianOfLast(50) is { } late)
            yield return $"coordinator flush, median of the last 50 writes: {late * 1000:0.00} ms, {late / early:0.00}x the median at 1,000-9,999 runs (goal at most 2x: {(late <= 2 * early ? "met" : "missed")})";
    }

    public void Dispose() => _listener.Dispose();

    private static double? MedianOf(IEnumerable<(int Decade, double Seconds)> writes) =>
        writes.Select(w => w.Seconds).ToList() is { Count: > 0 } seconds ? Tuning.Median.Of(seconds) : null;
}
