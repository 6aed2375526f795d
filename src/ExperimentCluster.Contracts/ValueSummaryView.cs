namespace ExperimentCluster.Contracts;

/// <summary>For one value of one swept hyperparameter: how the runs that used it did.</summary>
[GenerateSerializer, Immutable, Alias("ValueSummaryView")]
public sealed record ValueSummaryView(
    [property: Id(0)] string Parameter,
    [property: Id(1)] string Value,
    [property: Id(2)] int Runs,
    [property: Id(3)] int Finished,
    [property: Id(4)] double? MeanFinalValLoss,
    [property: Id(5)] double? StdFinalValLoss,
    [property: Id(6)] int Diverged,
    [property: Id(7)] double? BestValLoss);
