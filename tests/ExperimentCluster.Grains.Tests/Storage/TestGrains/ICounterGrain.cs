namespace ExperimentCluster.Grains.Tests.Storage.TestGrains;

/// <summary>A grain whose whole state is persisted after every change.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task<int> Get();

    /// <summary>The address of the silo hosting this activation.</summary>
    Task<string> Host();
}
