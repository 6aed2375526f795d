using System.Globalization;

using ExperimentCluster.Training.Data;
using ExperimentCluster.Training.Engine;

namespace ExperimentCluster.Training;

/// <summary>
/// One training run, advanced an epoch at a time. Use from one thread at a time; the only state shared between
/// trainers is the read-only data cache. After a cancelled epoch the trainer is unusable: restore from the last checkpoint.
/// </summary>
public sealed class Trainer : IRunTrainer
{
    private readonly ITrainingEngine _engine;

    private Trainer(TrainingSpec spec, ITrainingEngine engine)
    {
        Spec = spec;
        _engine = engine;
    }

    public TrainingSpec Spec { get; }

    public int EpochsDone => _engine.EpochsDone;

    public TrainingStatus Status => _engine.Status;

    public Divergence? Divergence => _engine.Divergence;

    /// <summary>The epoch whose weights the model holds: the last one, or with patience, once ended, the best one.</summary>
    public int ModelEpoch => _engine.ModelEpoch;

    /// <summary>Validates the spec and builds a fresh run; the data come from the shared cache.</summary>
    /// <param name="spec">The run's settings.</param>
    /// <param name="files">Where data files may be read from; null: <see cref="DataFiles.None"/>, the built-in data sets only.</param>
    public static Trainer Create(TrainingSpec spec, DataFiles? files = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        files ??= DataFiles.None;
        spec.Validate(files);
        return new Trainer(spec, TrainingEngineFactory.Create(spec, files));
    }

    /// <summary>
    /// Continues a run from <see cref="SaveCheckpoint"/>'s bytes. A checkpoint of another spec, another format version, or a
    /// damaged one is rejected with an <see cref="InvalidDataException"/> that says which.
    /// </summary>
    public static Trainer Restore(TrainingSpec spec, byte[] checkpoint, DataFiles? files = null) =>
        new(spec, RestoredEngine(spec, checkpoint, files));

    /// <summary>
    /// The network a checkpoint holds, as numbers anyone can use (<see cref="TrainedModel"/>). Throws as <see cref="Restore"/>
    /// does, and <see cref="InvalidDataException"/> for a diverged run's weights.
    /// </summary>
    public static TrainedModel ExportModel(TrainingSpec spec, byte[] checkpoint, DataFiles? files = null) =>
        RestoredEngine(spec, checkpoint, files).ExportModel();

    private static ITrainingEngine RestoredEngine(TrainingSpec spec, byte[] checkpoint, DataFiles? files)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(checkpoint);
        files ??= DataFiles.None;
        spec.Validate(files);
        var engine = TrainingEngineFactory.Create(spec, files);
        engine.Restore(checkpoint);
        return engine;
    }

    /// <summary>The network as it stands now (<see cref="TrainedModel"/>); <see cref="InvalidDataException"/> once diverged.</summary>
    public TrainedModel Model() => _engine.ExportModel();

    int IRunTrainer.ChunksDone => EpochsDone;

    int IRunTrainer.Chunks => Spec.Epochs;

    double? IRunTrainer.Result => null;

    string? IRunTrainer.ResultNote => ModelNote;

    int? IRunTrainer.ModelChunk => EarlierModelEpoch;

    /// <summary>The epoch whose weights the ended run holds when it is not its last (patience); else null.</summary>
    private int? EarlierModelEpoch => Status == TrainingStatus.Completed && ModelEpoch < EpochsDone ? ModelEpoch : null;

    /// <summary>How a run with patience ended, when its model is not its last epoch's (which epoch's it is); else null.</summary>
    public string? ModelNote
    {
        get
        {
            if (EarlierModelEpoch is not { } epoch || _engine.BestValLoss is not { } best)
                return null;
            var model = string.Create(CultureInfo.InvariantCulture, $"the model is epoch {epoch}'s weights (validation loss {best:G6})");
            return EpochsDone < Spec.Epochs
                ? $"ended by patience: no lower validation loss in the {EpochsDone - epoch} epochs after epoch {epoch}; {model}"
                : $"trained every epoch; with patience, {model}, its lowest";
        }
    }

    EpochMetrics IRunTrainer.TrainChunk(CancellationToken cancellationToken) => TrainEpoch(cancellationToken);

    /// <summary>Trains one epoch. Cancellation is checked between mini-batch steps and throws OperationCanceledException.</summary>
    public EpochMetrics TrainEpoch(CancellationToken cancellationToken = default) => _engine.TrainEpoch(cancellationToken);

    /// <summary>Parameters, optimizer moments, generator state and counters, versioned and tied to the spec.</summary>
    public byte[] SaveCheckpoint() => _engine.SaveCheckpoint();
}
