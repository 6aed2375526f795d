namespace ExperimentCluster.Contracts;

[GenerateSerializer, Alias("SweepStatus")]
public enum SweepStatus
{
    Running,
    Completed,
    Cancelled,

    /// <summary>The sweep cannot go on for a reason that will not change (its strategy cannot plan); the reason says which.</summary>
    Failed,

    /// <summary>Paused by the user: its runs stopped at a checkpoint and nothing new starts until it is resumed.</summary>
    Paused,
}
