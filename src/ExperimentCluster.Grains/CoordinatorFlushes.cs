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
    private readonly Dictionary<int, List<double>> _seconds = [];
    private readonly List<double> _inOrder = [];
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
                    {
                        if (!_seconds.TryGetValue(decade, out var list))
                            _seconds[decade] = list = [];
                        list.Add(seconds);
                        _inOrder.Add(seconds);
                    }
                }
            }
        });
        _listener.Start();
    }

    /// <summary>The writes made while the sweep had <paramref name="decade"/> to 10 x <paramref name="decade"/> - 1 runs.</summary>
    public int Count(int decade)
    {
        lock (_lock)
            return _seconds.GetValueOrDefault(decade)?.Count ?? 0;
    }

    /// <summary>The median write time (seconds) while the sweep had <paramref name="decade"/> to 10 x <paramref name="decade"/> - 1 runs; null without one.</summary>
    public double? Median(int decade)
    {
        lock (_lock)
        {
            return _seconds.GetValueOrDefault(decade) is { Count: > 0 } list ? Tuning.Median.Of([.. list]) : null;
        }
    }

    /// <summary>The median of the last <paramref name="count"/> writes (the sweep's end); null without one.</summary>
    public double? MedianOfLast(int count)
    {
        lock (_lock)
            return _inOrder.Count == 0 ? null : Tuning.Median.Of(_inOrder.TakeLast(count).ToList());
    }

    public void Dispose() => _listener.Dispose();
}
