namespace ExperimentCluster.Contracts;

/// <summary>The aggregate of a sweep: leaderboard (best first), per-value summaries, and the search's own explanation.</summary>
[GenerateSerializer, Immutable, Alias("SweepResults")]
public sealed record SweepResults(
    [property: Id(0)] SweepView Sweep,
    [property: Id(1)] IReadOnlyList<RunView> Leaderboard,
    [property: Id(2)] IReadOnlyList<ValueSummaryView> PerValue,
    [property: Id(3)] string Explanation,
    [property: Id(4)] string SpecJson);
