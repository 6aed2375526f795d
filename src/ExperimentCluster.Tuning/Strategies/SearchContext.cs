namespace ExperimentCluster.Tuning;

/// <summary>Everything a strategy may look at: the space, the sweep seed, every trial started so far (finished and running),
/// the trial budget and the epochs per trial, and the measurement runs it asked for (<see cref="ISearchStrategy.Measurements"/>).</summary>
public sealed record SearchContext(SearchSpace Space, ulong Seed, IReadOnlyList<Trial> History, int MaxTrials, int MaxEpochs)
{
    /// <summary>The measurement runs of the sweep in the order they were asked for; empty for strategies that ask for none.</summary>
    public IReadOnlyList<Measurement> Measurements { get; init; } = [];
}
