using ExperimentCluster.Training;

namespace ExperimentCluster.Grains;

/// <summary>One epoch as the training thread hands it to the run grain; Last when the trainer is done (or diverged).</summary>
internal sealed record TrainedEpoch(EpochMetrics Metrics, byte[] Checkpoint, bool Last);
