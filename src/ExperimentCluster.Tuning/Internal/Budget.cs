namespace ExperimentCluster.Tuning;

/// <summary>Checks shared by every strategy.</summary>
internal static class Budget
{
    /// <summary>How many more trials may start: the request, capped by the budget left.</summary>
    public static int Remaining(SearchContext context, int count)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Math.Max(0, Math.Min(count, context.MaxTrials - context.History.Count));
    }

    public static bool Spent(SearchContext context) => context.History.Count >= context.MaxTrials;

    /// <summary>The plan of a strategy that tries as many trials as it is given: the sweep's count, which it needs.</summary>
    public static double Given(int? trials, string strategy) =>
        trials ?? throw new TuningException("search.trials", $"the {strategy} strategy needs a number of trials");
}
