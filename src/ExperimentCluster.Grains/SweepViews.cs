using ExperimentCluster.Contracts;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains;

/// <summary>How a sweep's stored state reads to clients: the sweep at a glance, one run, a run's summary for aggregation.</summary>
internal static class SweepViews
{
    public static SweepView Sweep(string id, SweepState state)
    {
        var counts = new Dictionary<RunStatus, int>();
        double? best = null;
        int? bestRun = null;
        var measurements = 0;
        foreach (var r in state.Runs)
        {
            counts[r.Status] = counts.GetValueOrDefault(r.Status) + 1;
            if (r.Kind is not null)
                measurements++;
            if (r.BestValLoss is { } b && (best is null || b < best))
            {
                best = b;
                bestRun = r.Number;
            }
        }
        // Measurement runs come on top of the planned training runs (a strategy asks for them as it goes). A completed
        // sweep's plan is what it ran (a sweep stored before the grain said so at completion still holds the first plan).
        var planned = state.Status == SweepStatus.Completed ? state.Runs.Count : state.PlannedRuns + measurements;
        return new SweepView(id, state.Name ?? id, state.Status, Math.Max(planned, state.Runs.Count), counts, best, bestRun,
            state.CreatedAt, state.FinishedAt, state.EpochsReported, state.Reason, state.WarmStart?.Count ?? 0);
    }

    public static RunView Run(string id, SweepRun r) =>
        new(id, r.Number, r.Config, r.Status, r.Reason, r.Epochs, r.BestValLoss, r.FinalValLoss, r.FinalValAccuracy,
            r.DivergedAtEpoch, r.Epochs, r.Silo, r.Resumes, r.Kind, r.Result, r.Attempt, r.ModelEpoch);

    public static RunSummary Summary(SweepRun r) =>
        new(r.Number, r.Config, r.Status.ToWord(), r.BestValLoss, r.FinalValLoss, r.Epochs, r.DivergedAtEpoch);
}
