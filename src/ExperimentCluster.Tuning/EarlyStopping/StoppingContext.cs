namespace ExperimentCluster.Tuning;

/// <summary>What a stopping rule may look at: every trial of the sweep with its recorded values, and the epochs per trial.</summary>
public sealed record StoppingContext(IReadOnlyList<Trial> History, int MaxEpochs);
