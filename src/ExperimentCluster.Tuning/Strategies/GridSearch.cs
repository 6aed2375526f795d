namespace ExperimentCluster.Tuning;

/// <summary>Grid search: the cartesian product of the listed values in a fixed order (the first parameter varies slowest,
/// like nested loops in the order the space lists them). A grid point already in the history, in any state, or measured by a
/// warm start (<see cref="SearchContext.Prior"/>), is never proposed again. It takes no settings; a range in the space is an error. It finishes when every point has been
/// started or the trial budget is spent.</summary>
public sealed class GridSearch : ISearchStrategy
{
    /// <summary>The most points a grid search enumerates (allow_large_grid or not).</summary>
    public const long MaxPoints = 10_000_000;

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
        if (space.GridSize > MaxPoints)
        {
            throw new TuningException("search.space", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"a grid of {space.GridSize:0.###e+0} points is more than {MaxPoints:N0}, the most a grid search can enumerate (even with allow_large_grid); list fewer values or use random or tpe"));
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
        var grid = Checked(context.Space);
        var taken = grid.Taken(context);
        var size = (long)grid.RawSize;
        var result = new List<IReadOnlyDictionary<string, string>>(n);
        // The lowest free points in order: below the first point no known trial took, every point is taken. A number that
        // is not its configuration's canonical one came after that one, which was proposed then.
        for (var index = taken.FirstKnownFree; index < size && result.Count < n; index++)
        {
            if (grid.IsCanonical(index) && taken.Add(index))
            {
                result.Add(grid.Point(index));
            }
        }

        return result;
    }

    public bool IsFinished(SearchContext context) => Budget.Spent(context) || Checked(context.Space).Taken(context).Count >= context.Space.GridSize;

    public string Explain(SearchContext context)
    {
        var tried = Checked(context.Space).Taken(context).Count;
        return $"Grid search: {tried} of {context.Space.GridSize} grid points started; budget {context.MaxTrials} trials.";
    }

    /// <summary>A grid over listed learning rates and nothing else is the practitioner's survey: one configuration per rate.</summary>
    public AnswerKind Answers(SearchSpace space) =>
        space is { Parameters.Count: 1 } && space.Find(SweepAnswer.LearningRate) is { Domain: ValuesDomain }
            ? AnswerKind.BestLearningRate : AnswerKind.BestConfiguration;

    /// <summary>Every grid point of <paramref name="parameters"/> (all lists) in order.</summary>
    internal static IEnumerable<TrialConfig> Points(IReadOnlyList<Parameter> parameters)
    {
        var grid = Grid(new SearchSpace(parameters));
        for (long index = 0; index < (long)grid.RawSize; index++)
        {
            if (grid.IsCanonical(index))
                yield return grid.Point(index);
        }
    }

    /// <summary>The grid of a sweep's space, checked as at submission (a range is an error).</summary>
    private FiniteSpace Checked(SearchSpace space)
    {
        Validate(space);
        return Grid(space);
    }

    /// <summary>The grid's points, numbered as every finite space's (the last parameter the fastest digit).</summary>
    private static FiniteSpace Grid(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (space.GridSize > MaxPoints)
        {
            throw new TuningException("search.space", $"a grid of {space.GridSize} points is more than {MaxPoints} and too large to enumerate");
        }

        return FiniteSpace.TryCreate(space) ?? throw new TuningException("search.space", "a grid needs a list of values; ranges are for random and tpe");
    }
}
