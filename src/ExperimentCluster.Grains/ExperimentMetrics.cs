using System.Diagnostics.Metrics;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains;

/// <summary>
/// The grains' own counters, exported at /metrics. Static so that the grains need no extra constructor argument;
/// Prometheus turns the counters into rates (epochs per second, reports per second).
/// </summary>
public static class ExperimentMetrics
{
    public const string MeterName = "ExperimentCluster";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> EpochsTrained = Meter.CreateCounter<long>("excl.epochs", "{epoch}", "Epochs trained on this silo");

    private static readonly Counter<long> RunsFinished = Meter.CreateCounter<long>("excl.runs.finished", "{run}", "Runs that finished on this silo, by status");

    private static readonly Counter<long> ReportsReceived = Meter.CreateCounter<long>("excl.coordinator.reports", "{report}", "Run reports received by the sweep coordinators on this silo");

    private static readonly Counter<long> StorageConflicts = Meter.CreateCounter<long>("excl.storage.conflicts", "{conflict}", "Stored states a grain on this silo found changed underneath (ETag conflicts), by state");

    private static readonly Counter<long> StorageConflictsRecovered = Meter.CreateCounter<long>("excl.storage.conflicts.recovered", "{conflict}", "ETag conflicts a grain on this silo recovered from by itself, by state");

    /// <summary>The instrument <see cref="CoordinatorFlushes"/> listens to.</summary>
    public const string FlushDurationName = "excl.coordinator.flush.duration";

    private static readonly Histogram<double> FlushDuration = Meter.CreateHistogram<double>(FlushDurationName, "s",
        "How long a sweep coordinator's state write took, by the sweep's size (runs, rounded down to a power of ten)");

    public static void EpochTrained() => EpochsTrained.Add(1);

    public static void RunFinished(RunStatus status) => RunsFinished.Add(1, new KeyValuePair<string, object?>("status", status.ToWord()));

    public static void ReportReceived() => ReportsReceived.Add(1);

    public static void StorageConflict(string state) => StorageConflicts.Add(1, new KeyValuePair<string, object?>("state", state));

    public static void StorageConflictRecovered(string state) => StorageConflictsRecovered.Add(1, new KeyValuePair<string, object?>("state", state));

    /// <summary>A sweep wrote its state; the size is a power of ten (1, 10, ... 100000), so the label stays a handful of values.</summary>
    public static void CoordinatorFlushed(double seconds, int runs) =>
        FlushDuration.Record(seconds, new KeyValuePair<string, object?>("runs", Decade(runs)));

    /// <summary>The power of ten at or below <paramref name="runs"/> (1 for none).</summary>
    public static int Decade(int runs)
    {
        var decade = 1;
        while (decade <= runs / 10)
            decade *= 10;
        return decade;
    }
}
