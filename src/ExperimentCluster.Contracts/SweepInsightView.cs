namespace ExperimentCluster.Contracts;

/// <summary>Why a sweep's best configuration won (the sweep page's views, `excl show`'s importance table): one axis per
/// swept hyperparameter for the parallel-coordinates view, the hyperparameters' importance, and the best-so-far curve.</summary>
[GenerateSerializer, Immutable, Alias("SweepInsightView")]
public sealed record SweepInsightView(
    [property: Id(0)] IReadOnlyList<ParameterAxisView> Axes,
    [property: Id(1)] ImportanceView Importance,
    [property: Id(2)] IReadOnlyList<BestSoFarView> BestSoFar);

/// <summary>One swept hyperparameter as an axis: <see cref="Scale"/> is <c>log</c> (a log-uniform range), <c>linear</c>
/// (a uniform or integer range) or <c>values</c> (a list: one tick per value). <see cref="When"/>, for a conditional
/// parameter, says where it is read (<c>optimizer = momentum or nesterov</c>); the importance leaves such a parameter out.</summary>
[GenerateSerializer, Immutable, Alias("ParameterAxisView")]
public sealed record ParameterAxisView(
    [property: Id(0)] string Name,
    [property: Id(1)] string Scale,
    [property: Id(2)] string? When = null);

/// <summary>The hyperparameters' importance by <see cref="Method"/> (ped-anova), largest share first, the shares summing
/// to 1; or no shares and the <see cref="Reason"/> there are none (e.g. not enough finished runs).</summary>
[GenerateSerializer, Immutable, Alias("ImportanceView")]
public sealed record ImportanceView(
    [property: Id(0)] string Method,
    [property: Id(1)] IReadOnlyList<ParameterShareView> Parameters,
    [property: Id(2)] string? Reason);

[GenerateSerializer, Immutable, Alias("ParameterShareView")]
public sealed record ParameterShareView(
    [property: Id(0)] string Parameter,
    [property: Id(1)] double Share);

/// <summary>One run on the best-so-far curve, in start order: the epochs consumed with it, its final validation loss
/// (null unless it completed with a finite one) and the best such loss so far (null until one completed).</summary>
[GenerateSerializer, Immutable, Alias("BestSoFarView")]
public sealed record BestSoFarView(
    [property: Id(0)] int Run,
    [property: Id(1)] int EpochsConsumed,
    [property: Id(2)] double? FinalValLoss,
    [property: Id(3)] double? BestFinalValLoss);
