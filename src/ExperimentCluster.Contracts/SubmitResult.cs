namespace ExperimentCluster.Contracts;

/// <summary>The answer to a submission: the sweep's view, or the first error naming the field and the reason.</summary>
[GenerateSerializer, Immutable, Alias("SubmitResult")]
public sealed record SubmitResult(
    [property: Id(0)] SweepView? Sweep,
    [property: Id(1)] string? Error);
