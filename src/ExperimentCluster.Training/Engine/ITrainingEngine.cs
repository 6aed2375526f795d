namespace ExperimentCluster.Training.Engine;

/// <summary>The number-type-independent face of <see cref="TrainingEngine{T}"/>, so that the public Trainer is not generic.</summary>
internal interface ITrainingEngine
{
    int EpochsDone { get; }

    TrainingStatus Status { get; }

    Divergence? Divergence { get; }

    /// <summary>The epoch whose weights the model holds (see <see cref="TrainingSpec.Patience"/>).</summary>
    int ModelEpoch { get; }

    /// <summary>The lowest validation loss so far when the run has patience; else null.</summary>
    double? BestValLoss { get; }

    EpochMetrics TrainEpoch(CancellationToken cancellationToken);

    byte[] SaveCheckpoint();

    void Restore(byte[] checkpoint);

    /// <summary>The network as it stands, with the scaling its data went through (<see cref="TrainedModel"/>).</summary>
    TrainedModel ExportModel();

    /// <summary>The range test's step: one mini-batch at the given rate (see <see cref="LrRangeTestTrainer"/>).</summary>
    double RangeStep(long step, double learningRate);

    /// <summary>The order of the training rows in the current epoch: a range test checkpointed part-way through an epoch
    /// stores it, since a restored generator is already past the shuffle that made it.</summary>
    int[] RowOrder { get; set; }
}
