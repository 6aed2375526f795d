using System.Runtime.CompilerServices;

namespace ExperimentCluster.Tuning;

/// <summary>
/// The points of a finite space the known trials (the warm start's, then the sweep's) took, plus those picked during one
/// suggestion. The known part is cached per history list and taken in as the history grows, so a suggestion no longer
/// maps every trial's configuration to its point (O(runs) per suggestion, once per pump of a 100,000-run sweep).
/// Why the result is the same as that scan: a sweep's history only grows, and a trial's configuration never changes
/// (a refreshed trial keeps its configuration, a retried one keeps its place), so the points of the first n trials are
/// those already taken in; a shorter history, another space (an edit) or another prior starts the cache over.
/// </summary>
internal sealed class TakenPoints
{
    private static readonly ConditionalWeakTable<IReadOnlyList<Trial>, Known> Cache = new();

    private readonly Known _known;
    private readonly FiniteSpace _space;
    private readonly HashSet<long> _picked = [];

    private TakenPoints(Known known, FiniteSpace space) => (_known, _space) = (known, space);

    /// <summary>How many points are taken.</summary>
    public int Count => _known.Points.Count + _picked.Count;

    /// <summary>The lowest point no known trial took (picks of this suggestion aside). With conditional parameters, the
    /// lowest canonical number (<see cref="FiniteSpace.IsCanonical"/>): the others below it name taken configurations too,
    /// and skipping them here, once per history, keeps a grid from scanning them again on every suggestion.</summary>
    public long FirstKnownFree
    {
        get
        {
            while (_known.Points.Contains(_known.FirstFree)
                || (_known.FirstFree < _space.RawSize && !_space.IsCanonical(_known.FirstFree)))
                _known.FirstFree++;
            return _known.FirstFree;
        }
    }

    /// <summary>Takes <paramref name="point"/> for this suggestion; false when it was taken already.</summary>
    public bool Add(long point) => !_known.Points.Contains(point) && _picked.Add(point);

    /// <summary>The points <paramref name="context"/>'s known trials took in <paramref name="space"/>.</summary>
    public static TakenPoints Of(SearchContext context, FiniteSpace space)
    {
        ArgumentNullException.ThrowIfNull(context);
        var known = Cache.GetValue(context.History, _ => new Known());
        lock (known)
        {
            if (!ReferenceEquals(known.Space, space.Space) || !ReferenceEquals(known.Prior, context.Prior) || context.History.Count < known.Consumed)
            {
                known.Reset(space.Space, context.Prior);
                foreach (var trial in context.Prior)
                    known.Take(space.IndexOf(trial.Config));
            }

            for (; known.Consumed < context.History.Count; known.Consumed++)
                known.Take(space.IndexOf(context.History[known.Consumed].Config));
        }

        return new TakenPoints(known, space);
    }

    private sealed class Known
    {
        public SearchSpace? Space { get; private set; }

        public IReadOnlyList<Trial>? Prior { get; private set; }

        public int Consumed { get; set; }

        public long FirstFree { get; set; }

        public HashSet<long> Points { get; } = [];

        public void Reset(SearchSpace space, IReadOnlyList<Trial> prior)
        {
            (Space, Prior, Consumed, FirstFree) = (space, prior, 0, 0);
            Points.Clear();
        }

        public void Take(long point)
        {
            if (point >= 0)
                Points.Add(point);
        }
    }
}
