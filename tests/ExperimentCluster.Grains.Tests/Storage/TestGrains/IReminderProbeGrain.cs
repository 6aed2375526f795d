namespace ExperimentCluster.Grains.Tests.Storage.TestGrains;

/// <summary>A grain that records, in its persisted state, each cluster in which its reminder ticked.</summary>
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);

    Task<string[]> TickedIn();
}
