namespace ExperimentCluster.Tuning;

/// <summary>Everything a strategy may look at: the space, the sweep seed, every trial started so far (finished and running),
/// the trial budget and the epochs per trial.</summary>
public sealed record SearchContext(SearchSpace Space, ulong Seed, IReadOnlyList<Trial> History, int MaxTrials, int MaxEpochs);
