namespace ExperimentCluster.Tuning;

/// <summary>Everything a strategy may look at: the space, the sweep seed, every trial started so far (finished and running),
/// the trial budget and the epochs per trial.</summary>
public sealed record SearchContext(SearchSpace Space, ulong Seed, IReadOnlyList<Trial> History, int MaxTrials, int MaxEpochs)
{
    private static readonly IReadOnlyDictionary<string, LrRange> NoRanges = new Dictionary<string, LrRange>(StringComparer.Ordinal);

    /// <summary>The learning-rate range tests the sweep has stored, by architecture key (<see cref="LrRangeSearch.ArchitectureKey"/>).
    /// Only lr-range reads them; empty for every other strategy.</summary>
    public IReadOnlyDictionary<string, LrRange> LrRanges { get; init; } = NoRanges;
}
