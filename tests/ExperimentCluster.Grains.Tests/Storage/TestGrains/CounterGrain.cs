namespace ExperimentCluster.Grains.Tests.Storage.TestGrains;

public sealed class CounterGrain(
    [PersistentState("counter", "store")] IPersistentState<CounterState> counter,
    ILocalSiloDetails silo) : Grain, ICounterGrain
{
    public async Task<int> Increment()
    {
        counter.State.Value++;
        counter.State.Hosts.Add(silo.SiloAddress.ToString());
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    public Task<int> Get() => Task.FromResult(counter.State.Value);

    public Task<string> Host() => Task.FromResult(silo.SiloAddress.ToString());
}
