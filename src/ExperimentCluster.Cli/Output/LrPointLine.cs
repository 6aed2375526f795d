namespace ExperimentCluster.Cli.Output;

/// <summary>One step of `excl lr-find --json`.</summary>
public sealed record LrPointLine(double LearningRate, double Loss, double SmoothedLoss);
