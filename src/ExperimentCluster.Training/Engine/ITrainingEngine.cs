namespace ExperimentCluster.Training.Engine;

/// <summary>The number-type-independent face of <see cref="TrainingEngine{T}"/>, so that the public Trainer is not generic.</summary>
internal interface ITrainingEngine
{
    int EpochsDone { get; }

    TrainingStatus Status { get; }

    Divergence? Divergence { get; }

    EpochMetrics TrainEpoch(CancellationToken cancellationToken);

    byte[] SaveCheckpoint();

    void Restore(byte[] checkpoint);

    LrRangeResult RangeTest(double minLearningRate, double maxLearningRate, int steps);
}
