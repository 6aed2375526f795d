namespace ExperimentCluster.Contracts;

/// <summary>A run as lists and leaderboards show it: no trajectory. A measurement run (a learning-rate range test) has
/// its kind and, once finished, its result (the suggested rate); a training run has neither. <c>ModelEpoch</c>: the epoch
/// whose weights a completed run ended with when not its last (patience keeps the best epoch's); the final values are its.</summary>
[GenerateSerializer, Immutable, Alias("RunView")]
public sealed record RunView(
    [property: Id(0)] string SweepId,
    [property: Id(1)] int Number,
    [property: Id(2)] IReadOnlyDictionary<string, string> Config,
    [property: Id(3)] RunStatus Status,
    [property: Id(4)] string? Reason,
    [property: Id(5)] int Epochs,
    [property: Id(6)] double? BestValLoss,
    [property: Id(7)] double? FinalValLoss,
    [property: Id(8)] double? FinalValAccuracy,
    [property: Id(9)] int? DivergedAtEpoch,
    [property: Id(10)] int CheckpointEpoch,
    [property: Id(11)] string? Silo,
    [property: Id(12)] int Resumes,
    [property: Id(13)] string? Kind = null,
    [property: Id(14)] double? Result = null,
    [property: Id(15)] int Attempt = 1,
    [property: Id(16)] int? ModelEpoch = null);
