namespace ExperimentCluster.Tuning;

/// <summary>Everything a strategy may look at: the space, the sweep seed, every trial started so far (finished and running),
/// the trial budget and the epochs per trial, and the measurement runs it asked for (<see cref="ISearchStrategy.Measurements"/>).</summary>
public sealed record SearchContext(SearchSpace Space, ulong Seed, IReadOnlyList<Trial> History, int MaxTrials, int MaxEpochs)
{
    /// <summary>The measurement runs of the sweep in the order they were asked for; empty for strategies that ask for none.</summary>
    public IReadOnlyList<Measurement> Measurements { get; init; } = [];

    /// <summary>What the trials' values are, for <see cref="ISearchStrategy.Explain"/> (a maximised metric is carried negated).</summary>
    public Objective Objective { get; init; } = Objective.ValidationLoss;

    /// <summary>
    /// Finished trials of earlier sweeps that measured points of this space with the same settings (a warm start), numbered
    /// -Prior.Count .. -1 so that they order before this sweep's own trials. They sit beside <see cref="History"/>, not in
    /// it: History.Count stays the number of the next trial and what the budget counts, so a warm start changes neither
    /// this sweep's trial numbering (its random draws, its run numbers) nor its budget. A strategy treats them as results it
    /// already has: it does not propose a point again that one of them measured, and a model-based one fits them.
    /// </summary>
    public IReadOnlyList<Trial> Prior { get; init; } = [];

    /// <summary>The earlier sweeps' trials, then this sweep's: everything measured, oldest first.</summary>
    public IReadOnlyList<Trial> Known => Prior.Count == 0 ? History : [.. Prior, .. History];
}
