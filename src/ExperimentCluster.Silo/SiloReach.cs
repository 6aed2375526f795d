using ExperimentCluster.Contracts;

namespace ExperimentCluster.Silo;

/// <summary>
/// The options an excl command needs to reach this silo's sweeps: <c>--data-dir /its/folder</c> for a data folder of its
/// own (excl commands there go through it: DataFolderLock), else <c>--gateway address:port</c>. The API prints the
/// answer's next step with them: the answer's own names the default data folder, so a page served by a cluster showed
/// a command that trained the refinement in a local silo of whoever copied it.
/// </summary>
public sealed record SiloReach(string Options, bool Cluster)
{
    public static SiloReach Of(SiloSettings settings) => DataFolderLock.Applies(settings)
        ? new SiloReach("--data-dir " + ShellWord.Quote(Path.GetFullPath(settings.DataDir)), Cluster: false)
        : new SiloReach($"--gateway {(settings.Mode == "embedded" ? "127.0.0.1" : settings.ResolveAdvertisedAddress().ToString())}:{settings.GatewayPort}", Cluster: true);

    /// <summary>The results as the API serves them: the answer without its own next step, and the one that works here.</summary>
    public SweepResults Serve(SweepResults results) =>
        results.Answer is { } answer && Tuning.SweepAnswer.NextStep(results.Sweep.Id, answer, Options, Cluster) is { } next
            ? results with { Answer = Tuning.SweepAnswer.WithoutNextStep(answer), NextStep = next }
            : results;
}
