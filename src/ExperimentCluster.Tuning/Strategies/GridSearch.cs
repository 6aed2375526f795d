namespace ExperimentCluster.Tuning;

/// <summary>Grid search: the cartesian product of the listed values in a fixed order (the first parameter varies slowest,
/// like nested loops in the order the space lists them). A grid point already in the history, in any state, or measured by a
/// warm start (<see cref="SearchContext.Prior"/>), is never proposed again. It takes no settings; a range in the space is an error. It finishes when every point has been
/// started or the trial budget is spent.</summary>
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

        // Refused here, at submission, whatever allow_large_grid says: a grid this large could never be enumerated, and a
        // sweep accepted with it would wake forever failing to plan its next run.
        if (space.GridSize > Grid.MaxPoints)
        {
            throw new TuningException("search.space", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"a grid of {space.GridSize:0.###e+0} points is more than {Grid.MaxPoints:N0}, the most a grid search can enumerate (even with allow_large_grid); list fewer values or use random or tpe"));
        }
    }

    /// <summary>Every grid point once: the grid's size (a trial count in the file does not change it; max_runs caps it).</summary>
    public double PlannedTrials(SearchSpace space, int? trials)
    {
        Validate(space);
        return space.GridSize;
    }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count)
    {
        var n = Budget.Remaining(context, count);
        var grid = new Grid(context.Space, this);
        var tried = grid.Tried(context.Known);
        var result = new List<IReadOnlyDictionary<string, string>>(n);
        for (long index = 0; index < tried.Length && result.Count < n; index++)
        {
            if (!tried[index])
            {
                result.Add(grid.Point(index));
            }
        }

        return result;
    }

    public bool IsFinished(SearchContext context)
    {
        var grid = new Grid(context.Space, this);
        return Budget.Spent(context) || Array.TrueForAll(grid.Tried(context.Known), t => t);
    }

    public string Explain(SearchContext context)
    {
        var grid = new Grid(context.Space, this);
        var tried = grid.Tried(context.Known).Count(t => t);
        return $"Grid search: {tried} of {context.Space.GridSize} grid points started; budget {context.MaxTrials} trials.";
    }

    /// <summary>A grid over listed learning rates and nothing else is the practitioner's survey: one configuration per rate.</summary>
    public AnswerKind Answers(SearchSpace space) =>
        space is { Parameters.Count: 1 } && space.Find(SweepAnswer.LearningRate) is { Domain: ValuesDomain }
            ? AnswerKind.BestLearningRate : AnswerKind.BestConfiguration;

    /// <summary>Every grid point of <paramref name="parameters"/> (all lists) in order.</summary>
    internal static IEnumerable<TrialConfig> Points(IReadOnlyList<Parameter> parameters)
    {
        var grid = new Grid(new SearchSpace(parameters), null);
        for (long index = 0; index < grid.Size; index++)
        {
            yield return grid.Point(index);
        }
    }

    /// <summary>Grid points numbered in mixed radix, the last parameter the fastest digit, so that the history maps to a
    /// bit set in one pass instead of comparing configurations.</summary>
    private sealed class Grid
    {
        public const long MaxPoints = 10_000_000;

        private readonly Parameter[] _parameters;
        private readonly IReadOnlyList<string>[] _values;

        public Grid(SearchSpace space, GridSearch? validator)
        {
            ArgumentNullException.ThrowIfNull(space);
            validator?.Validate(space);
            _parameters = [.. space.Parameters];
            _values = _parameters.Select(p => ((ValuesDomain)p.Domain).Values).ToArray();
            Size = space.GridSize > MaxPoints
                ? throw new TuningException("search.space", $"a grid of {space.GridSize} points is more than {MaxPoints} and too large to enumerate")
                : (long)space.GridSize;
        }

        public long Size { get; }

        public bool[] Tried(IReadOnlyList<Trial> history)
        {
            var tried = new bool[Size];
            foreach (var trial in history)
            {
                var index = IndexOf(trial.Config);
                if (index >= 0)
                {
                    tried[index] = true;
                }
            }

            return tried;
        }

        public TrialConfig Point(long index)
        {
            var values = new KeyValuePair<string, string>[_parameters.Length];
            for (var i = _parameters.Length - 1; i >= 0; i--)
            {
                var radix = _values[i].Count;
                values[i] = new(_parameters[i].Name, _values[i][(int)(index % radix)]);
                index /= radix;
            }

            return new TrialConfig(values);
        }

        private long IndexOf(IReadOnlyDictionary<string, string> config)
        {
            if (config.Count != _parameters.Length)
            {
                return -1;
            }

            long index = 0;
            for (var i = 0; i < _parameters.Length; i++)
            {
                if (!config.TryGetValue(_parameters[i].Name, out var text))
                {
                    return -1;
                }

                var digit = ((ValuesDomain)_parameters[i].Domain).IndexOf(text);
                if (digit < 0)
                {
                    return -1;
                }

                index = (index * _values[i].Count) + digit;
            }

            return index;
        }
    }
}
