using System.Diagnostics;
using System.Text.Json;
using ExperimentCluster.Grains.Tests.Storage.TestGrains;
using ExperimentCluster.Silo.Storage;
using Orleans.Runtime.Placement;
using Xunit.Abstractions;

namespace ExperimentCluster.Grains.Tests.Storage;

[Collection(ClusterTestGroup.Name)]
public sealed class SqliteClusterTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_grain_state_survives_a_full_cluster_restart_on_the_same_file()
    {
        await using (var first = await SqliteTestCluster.StartAsync(_database.Path))
        {
            var counter = first.Client.GetGrain<ICounterGrain>("restart");
            await counter.Increment();
            await counter.Increment();
        }

        // The file was really closed: the second cluster reads from disk, not from anything left in this process.
        Assert.False(SqliteDatabase.IsOpen(_database.Path));

        await using var second = await SqliteTestCluster.StartAsync(_database.Path);
        var again = second.Client.GetGrain<ICounterGrain>("restart");
        Assert.Equal(2, await again.Get());
        Assert.Equal(3, await again.Increment());
    }

    [Fact]
    public async Task Grain_state_is_stored_as_plain_json_without_type_names()
    {
        await using var cluster = await SqliteTestCluster.StartAsync(_database.Path);
        var counter = cluster.Client.GetGrain<ICounterGrain>("json");
        await counter.Increment();

        var json = SqliteStateInspector.ReadStateJson(_database.Path, counter.GetGrainId(), "counter");

        Assert.NotNull(json);
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(1, document.RootElement.GetProperty("Value").GetInt32());
        Assert.Equal(JsonValueKind.Array, document.RootElement.GetProperty("Hosts").ValueKind);
    }

    [Fact]
    public async Task Hundreds_of_grains_writing_at_once_all_land()
    {
        const int Grains = 400;
        const int Increments = 3;
        await using var cluster = await SqliteTestCluster.StartAsync(_database.Path, silos: 2);
        var counters = Enumerable.Range(0, Grains).Select(i => cluster.Client.GetGrain<ICounterGrain>($"many-{i}")).ToArray();

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(counters.Select(async counter =>
        {
            for (var i = 0; i < Increments; i++)
            {
                await counter.Increment();
            }
        }));
        clock.Stop();
        output.WriteLine($"{Grains * Increments} grain writes through the cluster in {clock.Elapsed.TotalMilliseconds:F0} ms " +
                         $"({Grains * Increments / clock.Elapsed.TotalSeconds:F0}/s, activations included)");

        Assert.Equal(Grains, SqliteStateInspector.CountStates(_database.Path, "counter"));
        foreach (var counter in counters)
        {
            using var document = JsonDocument.Parse(SqliteStateInspector.ReadStateJson(_database.Path, counter.GetGrainId(), "counter")!);
            Assert.Equal(Increments, document.RootElement.GetProperty("Value").GetInt32());
        }
    }

    [Fact]
    public async Task A_grain_on_a_killed_silo_reactivates_on_another_silo_with_its_state()
    {
        await using var cluster = await SqliteTestCluster.StartAsync(_database.Path, silos: 3);
        var victim = cluster.Silos[1];
        var counter = cluster.Client.GetGrain<ICounterGrain>("survivor");

        // Place it on a secondary: the primary holds the test membership and must not be killed.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, victim.SiloAddress);
        await counter.Increment();
        RequestContext.Clear();
        Assert.Equal(victim.SiloAddress.ToString(), await counter.Host());
        await counter.Increment();

        await cluster.KillSiloAsync(victim);

        var host = await Eventually.Until(counter.Host, h => h != victim.SiloAddress.ToString(), TimeSpan.FromSeconds(60), "the grain to reactivate elsewhere");
        Assert.Contains(cluster.Silos, silo => silo.SiloAddress.ToString() == host);
        Assert.Equal(2, await counter.Get());
        Assert.Equal(3, await counter.Increment());
    }
}
