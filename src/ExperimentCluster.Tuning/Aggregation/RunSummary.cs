namespace ExperimentCluster.Tuning;

/// <summary>One run as the sweep's summaries see it. <see cref="Status"/> is the run status's name
/// (Queued, Running, Completed, Stopped, Diverged, Failed, Cancelled).</summary>
public sealed record RunSummary(
    int Number,
    IReadOnlyDictionary<string, string> Config,
    string Status,
    double? BestValLoss,
    double? FinalValLoss,
    int Epochs,
    int? DivergedAtEpoch);
