namespace ExperimentCluster.Contracts;

[GenerateSerializer, Alias("SweepStatus")]
public enum SweepStatus
{
    Running,
    Completed,
    Cancelled,
}
