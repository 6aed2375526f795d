namespace ExperimentCluster.Tuning;

/// <summary>A search strategy: a pure function of the sweep's stored history. It holds no state of its own, so a restarted
/// coordinator that passes the same history gets the same answers.</summary>
public interface ISearchStrategy
{
    /// <summary>Throws <see cref="TuningException"/> when this strategy cannot search <paramref name="space"/>
    /// (a range in a grid, no learning_rate for lr-decades). Call it before anything runs; Suggest throws the same.</summary>
    void Validate(SearchSpace space);

    /// <summary>How many trials this strategy plans for <paramref name="space"/> given the sweep's <c>search.trials</c>
    /// (null when the file sets none): grid, the grid's size; a strategy with a plan of its own, that plan; otherwise the
    /// count given. Throws <see cref="TuningException"/> (field <c>search.trials</c>) when it needs a count and has none.
    /// Measurement runs (<see cref="Measurements"/>) come on top.</summary>
    double PlannedTrials(SearchSpace space, int? trials);

    /// <summary>Throws <see cref="TuningException"/> (naming the parameter) when this strategy cannot go on after a running
    /// sweep's space changes from <paramref name="before"/> to <paramref name="after"/> (both valid for it). The history
    /// then holds trials outside <paramref name="after"/>; a strategy that accepts the edit must cope with them (ignore
    /// them or read them clipped). Most strategies accept any edit.</summary>
    void ValidateEdit(SearchSpace before, SearchSpace after)
    {
    }

    /// <summary>The measurement runs the next <paramref name="count"/> suggestions need that <see cref="SearchContext.Measurements"/>
    /// does not hold yet, finished or running. The sweep runs them like any run (a training slot, a checkpoint, a resume)
    /// and passes their results back; until they end, <see cref="Suggest"/> stops short of the trials that need them.
    /// Most strategies need none.</summary>
    IReadOnlyList<MeasurementRequest> Measurements(SearchContext context, int count) => [];

    /// <summary>The kinds of measurement run this strategy asks for (<see cref="MeasurementRequest.Kind"/>): a sweep whose
    /// trials are not the built-in trainer's (a command sweep) cannot run them, and is refused before anything runs.</summary>
    IReadOnlyList<string> MeasurementKinds => [];

    /// <summary>The next configurations to start, at most <paramref name="count"/>, for trials <c>History.Count</c>,
    /// <c>History.Count + 1</c>, ... Empty when the search is finished or must wait for running trials.
    /// Deterministic for (context, count), and a shorter answer is a prefix of a longer one.</summary>
    IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count);

    /// <summary>Whether the search has nothing more to propose even after the running trials finish.</summary>
    bool IsFinished(SearchContext context);

    /// <summary>A human explanation of where the search stands.</summary>
    string Explain(SearchContext context);

    /// <summary>Which question a sweep of this strategy over <paramref name="space"/> answers: most search a
    /// configuration; a strategy that measures learning rates one by one answers with the best rate.</summary>
    AnswerKind Answers(SearchSpace space) => AnswerKind.BestConfiguration;

    /// <summary>The epochs whose values this strategy reads from the history (of running trials, say), so that the
    /// coordinator records them besides the stopping rule's; null means every epoch. Most strategies read only final values
    /// and need none.</summary>
    IReadOnlySet<int>? RecordedEpochs(int maxEpochs) => EpochSet.None;

    /// <summary>Whether it draws its own points from a range (a log-uniform learning rate, say): a refinement around the
    /// best rate (`excl refine`) then keeps the strategy with a narrower range, the others are refined with a grid; and
    /// its values, which rarely repeat, are summarised by bucket (decades), where the others' are lines of their own.</summary>
    bool SamplesRanges => false;

    /// <summary>Whether the values it places in a range are drawn (and so rarely repeat), whatever its refinement: the
    /// per-value summaries then bucket them (decades, five bins) instead of giving each value a line. A strategy that
    /// places values on a lattice of its own keeps its lines.</summary>
    bool DrawsFromRanges => SamplesRanges;
}
