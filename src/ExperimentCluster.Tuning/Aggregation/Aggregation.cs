namespace ExperimentCluster.Tuning;

/// <summary>The sweep's summaries: leaderboard, best run, per-value statistics. Pure functions of the run summaries.</summary>
public static class Aggregation
{
    /// <summary>Runs with a finite best validation loss first, ascending; then runs with no loss yet; then Diverged; then
    /// Failed. Ties by run number.</summary>
    public static IReadOnlyList<RunSummary> Leaderboard(IEnumerable<RunSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return runs
            .OrderBy(Group)
            .ThenBy(r => Group(r) == 0 ? r.BestValLoss!.Value : 0)
            .ThenBy(r => r.Number)
            .ToArray();
    }

    /// <summary>Which finished run's checkpoint <c>keep_checkpoints: best</c> keeps, first first. A checkpoint is a run's
    /// final state, so runs rank by their final validation loss: completed runs first (the answer compares only those),
    /// then other runs with a finite final loss (stopped early), then the rest in the leaderboard's order. The
    /// leaderboard's own order, the best loss at any epoch, kept the final state of a run whose loss rose at the end.</summary>
    public static IReadOnlyList<RunSummary> CheckpointOrder(IEnumerable<RunSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return runs
            .OrderBy(CheckpointGroup)
            .ThenBy(r => CheckpointGroup(r) < 2 ? r.FinalValLoss!.Value : 0)
            .ThenBy(r => r.Number)
            .ToArray();
    }

    /// <summary>The run with the lowest finite best validation loss that neither diverged nor failed; null when there is none.</summary>
    public static RunSummary? Best(IEnumerable<RunSummary> runs)
    {
        var board = Leaderboard(runs);
        var first = board.Count > 0 ? board[0] : null;
        return first is not null && Group(first) == 0 ? first : null;
    }

    /// <summary>For each parameter (by name) and each of its values (in <see cref="ValueOrder"/>): how many runs used
    /// it, the mean and spread of the final validation loss of the Completed ones, how many diverged, the best loss seen.</summary>
    public static IReadOnlyList<ValueSummary> PerValue(IEnumerable<RunSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var list = runs.ToArray();
        var result = new List<ValueSummary>();
        var names = list.SelectMany(r => r.Config.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var groups = list
                .Where(r => r.Config.ContainsKey(name))
                .GroupBy(r => JsonText.TryCanonicalize(r.Config[name]) ?? r.Config[name], StringComparer.Ordinal)
                .ToArray();
            foreach (var group in ValueOrder.Sort(groups, g => g.Key))
            {
                result.Add(Summarize(name, group.Key, group.ToArray()));
            }
        }

        return result;
    }

    private static ValueSummary Summarize(string name, string value, RunSummary[] runs)
    {
        var finals = runs
            .Where(r => Is(r, "Completed") && r.FinalValLoss is { } f && double.IsFinite(f))
            .Select(r => r.FinalValLoss!.Value)
            .ToArray();
        double? mean = finals.Length > 0 ? finals.Average() : null;
        double? std = finals.Length > 1
            ? Math.Sqrt(finals.Sum(f => (f - mean!.Value) * (f - mean.Value)) / (finals.Length - 1))
            : null;
        var bests = runs.Where(r => r.BestValLoss is { } b && double.IsFinite(b)).Select(r => r.BestValLoss!.Value).ToArray();
        return new ValueSummary(
            name,
            value,
            runs.Length,
            finals.Length,
            mean,
            std,
            runs.Count(r => Is(r, "Diverged")),
            bests.Length > 0 ? bests.Min() : null);
    }

    private static int Group(RunSummary run) => run switch
    {
        _ when Is(run, "Failed") => 3,
        _ when Is(run, "Diverged") => 2,
        { BestValLoss: { } best } when double.IsFinite(best) => 0,
        _ => 1,
    };

    /// <summary>0 completed with a finite final loss, 1 another run that trained to one (stopped), then the leaderboard's groups.</summary>
    private static int CheckpointGroup(RunSummary run) => run switch
    {
        { FinalValLoss: { } final } when double.IsFinite(final) && !Is(run, "Failed") && !Is(run, "Diverged") => Is(run, "Completed") ? 0 : 1,
        _ => 2 + Group(run),
    };

    private static bool Is(RunSummary run, string status) => string.Equals(run.Status, status, StringComparison.OrdinalIgnoreCase);
}
