namespace ExperimentCluster.Training;

public sealed record LrRangePoint(double LearningRate, double Loss, double SmoothedLoss);
