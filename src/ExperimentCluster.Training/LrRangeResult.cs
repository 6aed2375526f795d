namespace ExperimentCluster.Training;

public sealed record LrRangeResult(IReadOnlyList<LrRangePoint> Points, double SuggestedLearningRate, string Reason);
