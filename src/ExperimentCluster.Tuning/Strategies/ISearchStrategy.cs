namespace ExperimentCluster.Tuning;

/// <summary>A search strategy: a pure function of the sweep's stored history. It holds no state of its own, so a restarted
/// coordinator that passes the same history gets the same answers.</summary>
public interface ISearchStrategy
{
    /// <summary>Throws <see cref="TuningException"/> when this strategy cannot search <paramref name="space"/>
    /// (a range in a grid, no learning_rate for lr-decades). Call it before anything runs; Suggest throws the same.</summary>
    void Validate(SearchSpace space);

    /// <summary>The next configurations to start, at most <paramref name="count"/>, for trials <c>History.Count</c>,
    /// <c>History.Count + 1</c>, ... Empty when the search is finished or must wait for running trials.
    /// Deterministic for (context, count), and a shorter answer is a prefix of a longer one.</summary>
    IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count);

    /// <summary>Whether the search has nothing more to propose even after the running trials finish.</summary>
    bool IsFinished(SearchContext context);

    /// <summary>A human explanation of where the search stands.</summary>
    string Explain(SearchContext context);
}
