namespace ExperimentCluster.Tuning;

/// <summary>Where a trial stands. Stopped: an early-stopping rule ended it. Diverged: its loss blew up (a result, not an error).</summary>
public enum TrialState
{
    Running,
    Completed,
    Stopped,
    Diverged,
    Failed,
    Cancelled,
}
