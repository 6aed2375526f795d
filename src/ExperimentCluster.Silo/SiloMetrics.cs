using System.Diagnostics;
using System.Diagnostics.Metrics;
using ExperimentCluster.Contracts;
using ExperimentCluster.Grains;

namespace ExperimentCluster.Silo;

/// <summary>
/// The silo's gauges at /metrics: its training slots (capacity, in use, waiting, busy slot-seconds, utilisation)
/// and the cluster's runs by status. The run counts come from the sweeps, refreshed at most every few seconds and
/// only when scraped, so that an unwatched silo makes no extra grain calls.
/// </summary>
public sealed class SiloMetrics : IDisposable
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(3);

    private readonly Meter _meter = new(ExperimentMetrics.MeterName + ".Silo");
    private readonly IGrainFactory _grains;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile IReadOnlyDictionary<RunStatus, int> _runs = new Dictionary<RunStatus, int>();
    private volatile IReadOnlyDictionary<SweepStatus, int> _sweeps = new Dictionary<SweepStatus, int>();
    private long _refreshedAt;

    public SiloMetrics(TrainingSlots slots, ILocalSiloDetails silo, IGrainFactory grains)
    {
        _grains = grains;
        var tag = new KeyValuePair<string, object?>("silo", silo.SiloAddress.ToString());
        _meter.CreateObservableGauge("excl.training.slots", () => new Measurement<int>(slots.Capacity, tag), "{slot}", "Training slots of this silo");
        _meter.CreateObservableGauge("excl.training.slots.in_use", () => new Measurement<int>(slots.InUse, tag), "{slot}", "Training slots busy now");
        _meter.CreateObservableGauge("excl.training.queued", () => new Measurement<int>(slots.Waiting, tag), "{run}", "Runs waiting for a training slot on this silo");
        _meter.CreateObservableGauge("excl.training.slots.utilization", () => new Measurement<double>((double)slots.InUse / slots.Capacity, tag), "1", "Busy share of this silo's training slots now");
        _meter.CreateObservableCounter("excl.training.slots.busy", () => new Measurement<double>(slots.BusySeconds, tag), "s", "Busy slot-seconds since this silo started; rate() / slots is the utilisation over time");
        _meter.CreateObservableGauge("excl.runs", ObserveRuns, "{run}", "Runs of every sweep in the cluster, by status");
        _meter.CreateObservableGauge("excl.sweeps", ObserveSweeps, "{sweep}", "Sweeps in the cluster, by status");
    }

    /// <summary>Brings the cluster-wide counts up to date (called before a scrape); a failure keeps the last counts.</summary>
    public async Task RefreshAsync()
    {
        if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _refreshedAt)) < RefreshEvery && Interlocked.Read(ref _refreshedAt) != 0)
            return;
        if (!await _refreshing.WaitAsync(0))
            return;
        try
        {
            var ids = await _grains.SweepIndex().ListAsync();
            var views = await Task.WhenAll(ids.Select(id => _grains.Sweep(id).GetState()));
            var runs = Enum.GetValues<RunStatus>().ToDictionary(s => s, _ => 0);
            var sweeps = Enum.GetValues<SweepStatus>().ToDictionary(s => s, _ => 0);
            foreach (var view in views.Where(v => v is not null))
            {
                sweeps[view!.Status]++;
                foreach (var (status, count) in view.Counts)
                    runs[status] += count;
            }
            _runs = runs;
            _sweeps = sweeps;
            Interlocked.Exchange(ref _refreshedAt, Stopwatch.GetTimestamp());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The silo may be starting or the cluster reconfiguring; the scrape shows the last known counts.
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private IEnumerable<Measurement<int>> ObserveRuns() =>
        _runs.Select(kv => new Measurement<int>(kv.Value, new KeyValuePair<string, object?>("status", kv.Key.ToWord())));

    private IEnumerable<Measurement<int>> ObserveSweeps() =>
        _sweeps.Select(kv => new Measurement<int>(kv.Value, new KeyValuePair<string, object?>("status", kv.Key.ToWord())));

    public void Dispose()
    {
        _meter.Dispose();
        _refreshing.Dispose();
    }
}
