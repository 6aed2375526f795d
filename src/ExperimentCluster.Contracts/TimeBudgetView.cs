namespace ExperimentCluster.Contracts;

/// <summary>A sweep's <c>time_budget</c> and the running time counted against it so far, in seconds.</summary>
[GenerateSerializer, Immutable, Alias("TimeBudgetView")]
public sealed record TimeBudgetView(
    [property: Id(0)] double BudgetSeconds,
    [property: Id(1)] double UsedSeconds);
