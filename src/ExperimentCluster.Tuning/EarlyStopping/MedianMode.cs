namespace ExperimentCluster.Tuning;

/// <summary>What a trial's best value so far is compared with at a check epoch.</summary>
public enum MedianMode
{
    /// <summary>Optuna's MedianPruner: the median of the values at that epoch of the trials that had finished (reported
    /// the sweep's last epoch) before this report; no stop until min_trials have finished.</summary>
    Optuna,

    /// <summary>Golovin et al. 2017 ("Google Vizier"), this rule's first definition: the median of the running averages up
    /// to that epoch of every other trial that had reported it; no stop until min_trials have.</summary>
    Legacy,
}
