namespace ExperimentCluster.Contracts;

/// <summary>Where a run stands. Diverged is a result, not an error: the sweep shows it and the search learns from it.</summary>
[GenerateSerializer, Alias("RunStatus")]
public enum RunStatus
{
    /// <summary>Started by the sweep, waiting for a training slot on its silo.</summary>
    Queued,
    Running,
    Completed,
    /// <summary>Stopped early by the sweep's early-stopping rule.</summary>
    Stopped,
    Diverged,
    Failed,
    Cancelled,
    /// <summary>Stopped at a checkpoint because its sweep was paused; not finished: it continues when the sweep is resumed.</summary>
    Paused,
}
