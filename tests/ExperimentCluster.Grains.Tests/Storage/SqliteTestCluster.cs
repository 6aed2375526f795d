using ExperimentCluster.Silo.Storage;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace ExperimentCluster.Grains.Tests.Storage;

/// <summary>An in-process test cluster whose silos keep grain state ("store") and reminders in one SQLite file.</summary>
internal static class SqliteTestCluster
{
    public static async Task<InProcessTestCluster> StartAsync(string databasePath, short silos = 1, string? clusterId = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = "sqlite-storage-tests";
        if (clusterId is not null)
        {
            builder.Options.ClusterId = clusterId;
        }

        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseSystemTextJsonGrainStorageSerializer();
            silo.AddSqliteStorage("store", databasePath);
            silo.UseSqliteReminders(databasePath);

            // Tests cannot wait the production minimum of one minute for a reminder tick.
            silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));

            // Declare a killed silo dead within seconds rather than the production minute.
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.MaxProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 1;
                options.NumVotesForDeathDeclaration = 1;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            });
        });

        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
