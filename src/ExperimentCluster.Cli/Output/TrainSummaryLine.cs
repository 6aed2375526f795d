namespace ExperimentCluster.Cli.Output;

/// <summary>The last line of `excl train --json`: how the training ended and its final losses.</summary>
public sealed record TrainSummaryLine(
    string Status,
    int? DivergedAtEpoch,
    long? DivergedAtStep,
    string? Reason,
    int Epochs,
    long Steps,
    double TrainLoss,
    double ValLoss,
    double? ValAccuracy,
    double Seconds,
    int? ModelEpoch = null);
