namespace ExperimentCluster.Cli.Output;

/// <summary>The last line of `excl lr-find --json`: the suggested rate and why.</summary>
public sealed record LrSuggestionLine(double SuggestedLearningRate, string Reason, int Points);
