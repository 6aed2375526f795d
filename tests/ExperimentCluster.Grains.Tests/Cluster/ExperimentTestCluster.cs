using ExperimentCluster.Contracts;
using ExperimentCluster.Grains;
using ExperimentCluster.Silo;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>An in-process cluster of real silos sharing one SQLite file, with fast failure detection.</summary>
public sealed class ExperimentTestCluster : IAsyncDisposable
{
    /// <summary>How often a wait for a condition looks again.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly bool _ownsDatabase;

    private ExperimentTestCluster(InProcessTestCluster cluster, string databasePath, bool ownsDatabase)
    {
        Cluster = cluster;
        DatabasePath = databasePath;
        _ownsDatabase = ownsDatabase;
    }

    public InProcessTestCluster Cluster { get; }

    public string DatabasePath { get; }

    public IGrainFactory Grains => Cluster.Client;

    /// <param name="configure">More silo settings (command trials: <c>o.Commands.Allow</c>, the grace period, ...).</param>
    /// <param name="configureSilo">More services, registered after the cluster's own (a test's stand-in wins).</param>
    public static async Task<ExperimentTestCluster> StartAsync(int silos, string? databasePath = null, int slots = 2, Action<ExperimentOptions>? configure = null,
        Action<ISiloBuilder, string>? configureSilo = null)
    {
        var path = databasePath ?? Path.Combine(Path.GetTempPath(), $"excl-test-{Guid.NewGuid():N}", "experiments.db");
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((options, silo) =>
        {
            silo.AddEmbeddedStorage(path);
            silo.AddExperimentGrains();
            silo.Services.Configure<ExperimentOptions>(o =>
            {
                o.TrainingSlots = slots;
                o.WakeInterval = TimeSpan.FromMilliseconds(500);
                // Every epoch checkpointed, as the kill and crash tests assume; CheckpointIntervalClusterTests sets its own.
                o.CheckpointInterval = TimeSpan.Zero;
                // Each silo its own code cache, as on separate machines, beside the test's database.
                o.CodeCacheFolder = Path.Combine(Path.GetDirectoryName(path)!, "code", options.SiloName);
                configure?.Invoke(o);
            });
            silo.Services.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.MaxProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 1;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            });
            configureSilo?.Invoke(silo, path);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ExperimentTestCluster(cluster, path, ownsDatabase: databasePath is null);
    }

    /// <summary>Polls until the condition holds; fails with the last state seen after the timeout.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, Func<T, string>? describe = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
                return last;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"condition not met within {timeout}; last state: {(describe is null ? last : describe(last))}");
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The runs of a sweep with a stored epoch: the sweep has heard of one, and a run reports an epoch only once
    /// the state that points at its checkpoint is written. (A run's own view counts an epoch while that write is in flight.)</summary>
    public async Task<HashSet<int>> RunsWithStoredEpochsAsync(string id) =>
        (await Grains.Sweep(id).GetEventsAsync(0, 10_000))!.Events.Where(e => e.Epoch is not null).Select(e => e.Run).ToHashSet();

    public Task<SweepView> WaitForSweepAsync(string id, Func<SweepView, bool> done, TimeSpan timeout) =>
        WaitForAsync(async () => (await Grains.Sweep(id).GetState())!, done, timeout);

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (!_ownsDatabase)
            return;
        try
        {
            Directory.Delete(Path.GetDirectoryName(DatabasePath)!, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
