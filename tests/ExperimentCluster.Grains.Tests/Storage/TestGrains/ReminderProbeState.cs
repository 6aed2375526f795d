namespace ExperimentCluster.Grains.Tests.Storage.TestGrains;

public sealed class ReminderProbeState
{
    public List<string> ClusterIds { get; set; } = [];
}
