namespace ExperimentCluster.Tuning;

/// <summary>One epoch's reported value (validation loss, lower is better; NaN or infinity when diverged), with the sweep-wide
/// report sequence number, so that asynchronous rules can be replayed exactly from the stored history.</summary>
public sealed record RungValue(int Epoch, double Value, long Sequence);
