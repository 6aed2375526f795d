namespace ExperimentCluster.Tuning;

/// <summary>One run on a sweep's best-so-far curve: the epochs the sweep had consumed once this run's epochs are counted
/// (its own and those of every run started before it), its final loss (null unless it completed with a finite one), and
/// the best such final loss of this and the earlier runs (null until one completed).</summary>
public sealed record BestSoFarPoint(int Run, int EpochsConsumed, double? FinalValLoss, double? BestFinalValLoss);

/// <summary>
/// How fast a sweep found its answer: the best final validation loss so far against the epochs consumed, run by run in
/// start order (run numbers are given as runs are started). The x-axis is epochs, not runs, because a sweep whose
/// stopping rule cuts bad runs short pays less for each: the same best at fewer epochs is the better search. A pure
/// function of the run summaries, for the sweep's page and for comparing sweeps side by side.
/// </summary>
public static class BestSoFar
{
    public static IReadOnlyList<BestSoFarPoint> Of(IEnumerable<RunSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var points = new List<BestSoFarPoint>();
        var epochs = 0;
        double? best = null;
        foreach (var run in runs.OrderBy(r => r.Number))
        {
            epochs += Math.Max(0, run.Epochs);
            // Completed runs only, as in the answer: a stopped run's last loss is from fewer epochs, not a result.
            double? final = string.Equals(run.Status, "Completed", StringComparison.OrdinalIgnoreCase) && run.FinalValLoss is { } f && double.IsFinite(f) ? f : null;
            if (final is { } x && (best is null || x < best))
                best = x;
            points.Add(new BestSoFarPoint(run.Number, epochs, final, best));
        }
        return points;
    }
}
