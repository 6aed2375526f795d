namespace ExperimentCluster.Tuning;

/// <summary>Grid search: the cartesian product of the listed values in a fixed order (the first parameter varies slowest,
/// like nested loops in the order the space lists them). A grid point already in the history, in any state, is never
/// proposed again. It takes no settings; a range in the space is an error.</summary>
public sealed class GridSearch : ISearchStrategy
{
    public void Validate(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        foreach (var parameter in space.Parameters)
        {
            if (parameter.Domain.IsRange)
            {
                throw new TuningException($"search.space.{parameter.Name}", "a grid needs a list of values; ranges are for random and tpe");
            }
        }
    }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count)
    {
        var n = Budget.Remaining(context, count);
        Validate(context.Space);
        return Pending(context).Take(n).Select(point => (IReadOnlyDictionary<string, string>)point).ToArray();
    }

    public bool IsFinished(SearchContext context)
    {
        Validate(context.Space);
        return Budget.Spent(context) || !Pending(context).Any();
    }

    public string Explain(SearchContext context)
    {
        Validate(context.Space);
        var tried = Tried(context).Count;
        return $"Grid search: {tried} of {context.Space.GridSize} grid points tried; budget {context.MaxTrials} trials.";
    }

    /// <summary>Every grid point in order.</summary>
    internal static IEnumerable<TrialConfig> Points(IReadOnlyList<Parameter> parameters)
    {
        var lists = parameters.Select(p => ((ValuesDomain)p.Domain).Values).ToArray();
        if (lists.Any(l => l.Count == 0))
        {
            yield break;
        }

        var index = new int[lists.Length];
        while (true)
        {
            yield return new TrialConfig(parameters.Select((p, i) => new KeyValuePair<string, string>(p.Name, lists[i][index[i]])));
            var position = lists.Length - 1;
            while (position >= 0 && ++index[position] == lists[position].Count)
            {
                index[position] = 0;
                position--;
            }

            if (position < 0)
            {
                yield break;
            }
        }
    }

    private static IEnumerable<TrialConfig> Pending(SearchContext context)
    {
        var tried = Tried(context);
        return Points(context.Space.Parameters).Where(point => !tried.Contains(point));
    }

    private static HashSet<TrialConfig> Tried(SearchContext context) =>
        context.History.Select(t => TrialConfig.From(t.Config)).ToHashSet();
}
