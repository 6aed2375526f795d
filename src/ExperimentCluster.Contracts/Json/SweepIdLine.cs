namespace ExperimentCluster.Contracts.Json;

/// <summary>The first line of `excl run --json` and the answer of `excl submit --json`.</summary>
public sealed record SweepIdLine(string SweepId);
