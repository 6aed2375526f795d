namespace ExperimentCluster.Training;

/// <summary>
/// One epoch's figures. <paramref name="TrainLoss"/> is the mean mini-batch loss over the epoch; <paramref name="ValAccuracy"/>
/// is null for regression; <paramref name="LearningRate"/> is the rate of the epoch's first step; <paramref name="Steps"/> is cumulative.
/// </summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double ValLoss, double? ValAccuracy, double LearningRate, double Seconds, long Steps);
