namespace ExperimentCluster.Tuning;

/// <summary>What a stopping rule may look at: every trial of the sweep with its recorded values, and the epochs per trial.
/// <see cref="Index"/>, when the sweep keeps one, holds the same values by epoch, so a decision need not scan every trial.</summary>
public sealed record StoppingContext(IReadOnlyList<Trial> History, int MaxEpochs)
{
    public RuleValueIndex? Index { get; init; }

    /// <summary>What the values are, for the reasons a rule writes (a maximised metric is carried negated).</summary>
    public Objective Objective { get; init; } = Objective.ValidationLoss;
}
