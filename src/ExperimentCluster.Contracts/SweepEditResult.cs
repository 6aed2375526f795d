namespace ExperimentCluster.Contracts;

/// <summary>The answer to an edit: the sweep and its edits after it, or the error naming the field (nothing changed then).</summary>
[GenerateSerializer, Immutable, Alias("SweepEditResult")]
public sealed record SweepEditResult(
    [property: Id(0)] SweepView? Sweep,
    [property: Id(1)] SweepEditLog? Edits,
    [property: Id(2)] string? Error);
