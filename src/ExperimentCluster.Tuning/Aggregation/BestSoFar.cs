namespace ExperimentCluster.Tuning;

/// <summary>One run on a sweep's best-so-far curve: the epochs the sweep had consumed once this run's epochs are counted
/// (its own and those of every run started before it), its final loss (null unless it completed with a finite one), and
/// the best such final loss of this and the earlier runs (null until one completed).</summary>
public sealed record BestSoFarPoint(int Run, int EpochsConsumed, double? FinalValLoss, double? BestFinalValLoss);

/// <summary>A corner of the best-so-far step line: from <paramref name="Epochs"/> on, the best was <paramref name="Best"/>.</summary>
public sealed record BestSoFarStep(long Epochs, double Best);

/// <summary>
/// How fast a sweep found its answer: the best final validation loss so far against the epochs consumed, run by run in
/// start order (run numbers are given as runs are started). The x-axis is epochs, not runs, because a sweep whose
/// stopping rule cuts bad runs short pays less for each: the same best at fewer epochs is the better search. Pure
/// functions of the run summaries, for the sweep's page and for comparing sweeps side by side (`excl compare`): the one
/// home of the curve and of which run counts as a result.
/// </summary>
public static class BestSoFar
{
    /// <param name="startingBest">A best known before any epoch was spent (the runs a warm start reused).</param>
    public static IReadOnlyList<BestSoFarPoint> Of(IEnumerable<RunSummary> runs, double? startingBest = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var points = new List<BestSoFarPoint>();
        var epochs = 0;
        double? best = startingBest is { } s && double.IsFinite(s) ? s : null;
        foreach (var run in runs.OrderBy(r => r.Number))
        {
            epochs += Math.Max(0, run.Epochs);
            var final = Result(run);
            if (final is { } x && (best is null || x < best))
                best = x;
            points.Add(new BestSoFarPoint(run.Number, epochs, final, best));
        }
        return points;
    }

    /// <summary>The curve as a step line: a corner at 0 epochs for a starting best, one where the best improved, and a
    /// last one at the total, so that curves of sweeps with different budgets end where their spending ended.</summary>
    public static IReadOnlyList<BestSoFarStep> Steps(IEnumerable<RunSummary> runs, double? startingBest = null)
    {
        var steps = new List<BestSoFarStep>();
        if (startingBest is { } s && double.IsFinite(s))
            steps.Add(new BestSoFarStep(0, s));
        var points = Of(runs, startingBest);
        foreach (var point in points)
        {
            if (point.BestFinalValLoss is { } best && (steps.Count == 0 || best < steps[^1].Best))
                steps.Add(new BestSoFarStep(point.EpochsConsumed, best));
        }
        if (steps.Count > 0 && points.Count > 0 && steps[^1].Epochs < points[^1].EpochsConsumed)
            steps.Add(new BestSoFarStep(points[^1].EpochsConsumed, steps[^1].Best));
        return steps;
    }

    /// <summary>The best result among <paramref name="runs"/>, null when none has one.</summary>
    public static double? Best(IEnumerable<RunSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return runs.Select(Result).Min();
    }

    /// <summary>What a run contributes: its final loss when it completed with a finite one. Completed runs only, as in the
    /// answer: a stopped run's last loss is from fewer epochs, and a diverged run's early loss is not a result.</summary>
    public static double? Result(RunSummary run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return string.Equals(run.Status, "Completed", StringComparison.OrdinalIgnoreCase) && run.FinalValLoss is { } f && double.IsFinite(f) ? f : null;
    }
}
