namespace ExperimentCluster.Training;

/// <summary>
/// What a run grain drives: a run trained in chunks, each ending in a checkpoint it can continue from bit for bit.
/// A training run's chunk is an epoch; a learning-rate range test's is a few mini-batches. Nothing above this interface
/// knows which kind it drives: it trains, stores, reports and asks the sweep whether to go on.
/// </summary>
public interface IRunTrainer
{
    int ChunksDone { get; }

    /// <summary>The chunks of a run that is never stopped; it may end sooner (diverged, or a range test whose loss exploded).</summary>
    int Chunks { get; }

    TrainingStatus Status { get; }

    Divergence? Divergence { get; }

    /// <summary>A measurement's result once finished (a range test's suggested rate); null for a training run.</summary>
    double? Result { get; }

    /// <summary>How the result was read (a range test: the rule and why the test stopped); null for a training run.</summary>
    string? ResultNote { get; }

    /// <summary>The chunk whose state the run ends with when that is not its last (a run with patience keeps its best
    /// epoch's weights); null otherwise, and while it runs.</summary>
    int? ModelChunk => null;

    /// <summary>Trains the next chunk; its figures use the epoch record's shape (Epoch is the chunk's number, from 1).</summary>
    EpochMetrics TrainChunk(CancellationToken cancellationToken);

    byte[] SaveCheckpoint();
}
