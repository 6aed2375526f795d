namespace ExperimentCluster.Contracts.Json;

/// <summary>
/// The epoch object, the same everywhere: a run's trajectory in the API and the export, `excl train --json`, and
/// (with the event and run in front) the epoch lines of `excl run --json`. Not sealed for that last one only.
/// </summary>
public record EpochJson(int Epoch, double TrainLoss, double ValLoss, double? ValAccuracy, double LearningRate, double Seconds, long Steps)
{
    public static EpochJson From(EpochRecord e) => new(e.Epoch, e.TrainLoss, e.ValLoss, e.ValAccuracy, e.LearningRate, e.Seconds, e.Steps);
}
