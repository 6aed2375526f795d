namespace ExperimentCluster.Tuning;

/// <summary>One value of one swept parameter across the runs that used it. <see cref="Finished"/> counts the Completed runs
/// with a finite final validation loss; the mean and the sample standard deviation are over those (null when there are
/// none, and the deviation when there is only one). <see cref="BestValLoss"/> is the best finite loss of any of its runs.</summary>
public sealed record ValueSummary(
    string Parameter,
    string Value,
    int Runs,
    int Finished,
    double? MeanFinalValLoss,
    double? StdFinalValLoss,
    int Diverged,
    double? BestValLoss);
