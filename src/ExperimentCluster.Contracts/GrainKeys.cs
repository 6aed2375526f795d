namespace ExperimentCluster.Contracts;

public static class GrainKeys
{
    public static string Run(string sweepId, int number) => $"{sweepId}/{number}";

    public static IRunGrain Run(this IGrainFactory grains, string sweepId, int number) =>
        grains.GetGrain<IRunGrain>(Run(sweepId, number));

    public static ISweepGrain Sweep(this IGrainFactory grains, string sweepId) => grains.GetGrain<ISweepGrain>(sweepId);

    public static ISweepIndexGrain SweepIndex(this IGrainFactory grains) => grains.GetGrain<ISweepIndexGrain>(0);
}
