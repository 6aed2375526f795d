using ExperimentCluster.Grains.Tests.Storage.TestGrains;
using ExperimentCluster.Silo.Storage;

namespace ExperimentCluster.Grains.Tests.Storage;

[Collection(ClusterTestGroup.Name)]
public sealed class SqliteReminderClusterTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_reminder_registered_before_a_cluster_stop_fires_after_a_new_cluster_starts_on_the_same_file()
    {
        var firstId = $"first-{Guid.NewGuid():N}";
        var secondId = $"second-{Guid.NewGuid():N}";
        await using (var first = await SqliteTestCluster.StartAsync(_database.Path, clusterId: firstId))
        {
            await first.Client.GetGrain<IReminderProbeGrain>("probe").Start(TimeSpan.FromSeconds(1));
        }

        Assert.False(SqliteDatabase.IsOpen(_database.Path));

        // Nothing in the second cluster registers the reminder: only the table on disk can make it tick there.
        await using var second = await SqliteTestCluster.StartAsync(_database.Path, clusterId: secondId);
        var probe = second.Client.GetGrain<IReminderProbeGrain>("probe");
        var tickedIn = await Eventually.Until(probe.TickedIn, ids => ids.Contains(secondId), TimeSpan.FromSeconds(60), "a reminder tick in the new cluster");

        Assert.Contains(secondId, tickedIn);
    }
}
