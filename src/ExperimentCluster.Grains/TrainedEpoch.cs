using ExperimentCluster.Training;

namespace ExperimentCluster.Grains;

/// <summary>One chunk as the run grain takes it: its metrics, the checkpoint after it (null: the last stored one still
/// holds, as for a command trial's report that made none), and Last when the run is done (or diverged).</summary>
internal sealed record TrainedEpoch(EpochMetrics Metrics, byte[]? Checkpoint, bool Last);

/// <summary>How a run that was not stopped ended: finished or diverged, a measurement's result, and the epoch whose state
/// the run ends with when not its last (patience).</summary>
internal sealed record RunEnd(TrainingStatus Status, Divergence? Divergence, double? Result, string? Note, int? ModelEpoch = null)
{
    public static RunEnd Of(IRunTrainer trainer) => new(trainer.Status, trainer.Divergence, trainer.Result, trainer.ResultNote, trainer.ModelChunk);
}
