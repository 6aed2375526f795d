namespace ExperimentCluster.Contracts;

/// <summary>One epoch of one run, as the trainer measured it.</summary>
[GenerateSerializer, Immutable, Alias("EpochRecord")]
public sealed record EpochRecord(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double TrainLoss,
    [property: Id(2)] double ValLoss,
    [property: Id(3)] double? ValAccuracy,
    [property: Id(4)] double LearningRate,
    [property: Id(5)] double Seconds,
    [property: Id(6)] long Steps);
