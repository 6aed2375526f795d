namespace ExperimentCluster.Tuning;

/// <summary>What a sweep's runs are ranked by, as the answer names it: the built-in trainer's validation loss, or a command
/// sweep's metric. Runs carry it as a loss (lower is better): a metric to maximise is carried negated, and shown as itself.</summary>
public sealed record Objective(string Name, bool Maximize)
{
    public static readonly Objective ValidationLoss = new("validation loss", false);

    /// <summary>A value as the user reads it: the metric itself, not the negation the runs carry.</summary>
    public double Shown(double value) => Maximize ? -value : value;
}
