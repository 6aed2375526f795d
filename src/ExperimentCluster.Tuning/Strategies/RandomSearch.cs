namespace ExperimentCluster.Tuning;

/// <summary>Random search: the configuration of trial n is a pure function of (sweep seed, n), so a restarted sweep draws
/// the same sequence. Lists are sampled uniformly, log-uniform and logarithmic integer ranges in log space. It takes no
/// settings. On a finite space (lists and integer ranges only) it never proposes a point already in the history: a taken
/// point is redrawn (see <see cref="Fresh"/>). It finishes when the budget is spent or a finite space is exhausted.</summary>
public sealed class RandomSearch : ISearchStrategy
{
    public bool SamplesRanges => true;

    public void Validate(SearchSpace space) => ArgumentNullException.ThrowIfNull(space);

    public double PlannedTrials(SearchSpace space, int? trials) => Budget.Given(trials, "random");

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count)
    {
        var n = Budget.Remaining(context, count);
        var finite = FiniteSpace.TryCreate(context.Space);
        var taken = finite?.Taken(context);
        var result = new List<IReadOnlyDictionary<string, string>>(n);
        for (var number = context.History.Count; result.Count < n; number++)
        {
            var config = Fresh.Pick(finite, taken, attempt => SpaceSampler.RandomConfig(context.Space, context.Seed, number, attempt), context.Seed, number);
            if (config is null)
            {
                break;
            }

            result.Add(config);
        }

        return result;
    }

    public bool IsFinished(SearchContext context) => Budget.Spent(context) || Fresh.Exhausted(context);

    public string Explain(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return $"Random search (seed {context.Seed}): {context.History.Count} of {context.MaxTrials} trials started.";
    }
}
