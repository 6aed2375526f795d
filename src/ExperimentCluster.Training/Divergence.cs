namespace ExperimentCluster.Training;

/// <summary>Where a run diverged: the 1-based epoch, the 1-based cumulative step, the offending loss and why it counts as divergence.</summary>
public sealed record Divergence(int Epoch, long Step, double Loss, string Reason);
