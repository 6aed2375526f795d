namespace ExperimentCluster.Tuning;

/// <summary>Random search: the configuration of trial n is a pure function of (sweep seed, n), so a restarted sweep draws
/// the same sequence. Lists are sampled uniformly, log-uniform and logarithmic integer ranges in log space. It takes no
/// settings; it finishes when the trial budget is spent.</summary>
public sealed class RandomSearch : ISearchStrategy
{
    public void Validate(SearchSpace space) => ArgumentNullException.ThrowIfNull(space);

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count)
    {
        var n = Budget.Remaining(context, count);
        var first = context.History.Count;
        return Enumerable.Range(first, n)
            .Select(number => (IReadOnlyDictionary<string, string>)SpaceSampler.RandomConfig(context.Space, context.Seed, number))
            .ToArray();
    }

    public bool IsFinished(SearchContext context) => Budget.Spent(context);

    public string Explain(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return $"Random search (seed {context.Seed}): {context.History.Count} of {context.MaxTrials} trials started.";
    }
}
