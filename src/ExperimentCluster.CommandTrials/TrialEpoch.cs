namespace ExperimentCluster.CommandTrials;

/// <summary>
/// One counted report of a command trial. <see cref="Loss"/> is the objective as a loss (lower is better: the metric, or
/// its negation for mode max), which is what the sweep's rules and leaderboard compare. <see cref="Checkpoint"/> is a new
/// stored checkpoint (<see cref="CheckpointBlob"/>) when this report made one, else null. <see cref="Diverged"/> says why
/// the run diverged at this epoch (a non-finite objective), else null.
/// </summary>
public sealed record TrialEpoch(
    int Epoch,
    double Loss,
    double TrainLoss,
    double? ValAccuracy,
    double LearningRate,
    double Seconds,
    IReadOnlyDictionary<string, double> Metrics,
    byte[]? Checkpoint,
    bool Last,
    string? Diverged);
