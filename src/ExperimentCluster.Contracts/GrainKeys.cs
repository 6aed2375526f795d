namespace ExperimentCluster.Contracts;

public static class GrainKeys
{
    public static string Run(string sweepId, int number) => $"{sweepId}/{number}";

    public static IRunGrain Run(this IGrainFactory grains, string sweepId, int number) =>
        grains.GetGrain<IRunGrain>(Run(sweepId, number));

    public static ISweepGrain Sweep(this IGrainFactory grains, string sweepId) => grains.GetGrain<ISweepGrain>(sweepId);

    /// <summary>Uploaded code by its hash ("sha256:" and 64 lowercase hex digits).</summary>
    public static ICodeGrain Code(this IGrainFactory grains, string hash) => grains.GetGrain<ICodeGrain>(hash);

    public static ISweepIndexGrain SweepIndex(this IGrainFactory grains) => grains.GetGrain<ISweepIndexGrain>(0);
}
