using System.Text.Json.Nodes;
using ExperimentCluster.Contracts;
using ExperimentCluster.EndToEnd.Tests.Cluster;
using Xunit.Abstractions;

namespace ExperimentCluster.EndToEnd.Tests.Postgres;

/// <summary>
/// Postgres mode end to end: three silo processes on a PostgreSQL server the test starts itself, through the failures
/// an operator meets (a silo killed, PostgreSQL killed). Small sweeps (4 runs) keep the time down; the client of the
/// checks is `excl` finding the gateways in PostgreSQL's membership table (--postgres).
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed class PostgresClusterTests(ITestOutputHelper output)
{
    private const int Runs = 4;
    private const int Epochs = 15;

    private static string Sweep => ClusterSweeps.Twelve(Epochs, concurrency: Runs, seeds: 1);

    [Fact]
    public async Task Three_postgres_mode_silos_complete_a_sweep_through_kill_9_of_a_silo_and_the_export_equals_uninterrupted_runs_bit_for_bit()
    {
        await using var server = await PostgresServer.StartAsync();
        await using var cluster = await LocalCluster.StartPostgresAsync(server, silos: 3, slots: 2);
        const string id = "pg-silo-kill";
        Assert.Null((await cluster.Grains.Sweep(id).SubmitAsync(Sweep)).Error);

        // The victim trains runs that have stored an epoch (and so its checkpoint) and have several to go: those must
        // resume. Others it kills that had stored none start again from scratch.
        var stored = await Waits.ForAsync(() => ClusterSweeps.StoredRunsAsync(cluster, id, Runs, Epochs, toGo: 8),
            v => v.Count > 0, ClusterSweeps.SweepTimeout, _ => cluster.Logs());
        var victim = cluster.Silos.First(s => s.Owns(stored[0].Silo));
        var killed = stored.Where(v => victim.Owns(v.Silo)).Select(v => v.Number).ToList();
        victim.Kill();

        var done = await cluster.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, ClusterSweeps.SweepTimeout);
        Assert.Equal(SweepStatus.Completed, done.Status);
        var export = await ExportAsync(server, cluster, id);
        AssertEveryEpochOnce(export);
        Assert.Equal(Runs * Epochs, done.EpochsReported);
        foreach (var number in killed)
        {
            var run = export.Single(r => (int)r["run"]! == number);
            Assert.True((int)run["resumes"]! >= 1, $"run {number} should have continued from its checkpoint on a survivor");
            AssertUninterrupted(run);
        }
        output.WriteLine($"runs on the killed silo, resumed elsewhere and equal to uninterrupted runs: {string.Join(", ", killed)}");
    }

    [Fact]
    public async Task Kill_9_of_PostgreSQL_mid_sweep_and_a_restart_lose_no_reported_epoch_duplicate_none_and_the_sweep_completes_by_itself()
    {
        await using var server = await PostgresServer.StartAsync();
        await using var cluster = await LocalCluster.StartPostgresAsync(server, silos: 3, slots: 2);
        const string id = "pg-kill";
        Assert.Null((await cluster.Grains.Sweep(id).SubmitAsync(Sweep)).Error);

        // Mid-sweep: a run has stored an epoch and has several to train.
        await Waits.ForAsync(() => cluster.RunsAsync(id, Runs),
            v => v.Any(r => r is { Status: RunStatus.Running, Epochs: >= 1 and <= Epochs - 4 }), ClusterSweeps.SweepTimeout, _ => cluster.Logs());
        server.KillPostmaster();
        // A run reports an epoch to its sweep only after writing it: every epoch event the sweep holds now was stored.
        // (The sweep answers from memory; it needs no database for this.)
        var reportedBeforeKill = (await cluster.Grains.Sweep(id).GetEventsAsync(0, 10_000))!.Events.Where(e => e.Epoch is not null).ToList();
        Assert.True(reportedBeforeKill.Count < Runs * Epochs, "every epoch was reported before the kill; make the runs longer");
        // The outage itself (not a wait for a condition): writes fail and are retried by the runs meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await server.RestartAsync();

        var done = await cluster.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, ClusterSweeps.SweepTimeout);
        Assert.Equal(SweepStatus.Completed, done.Status);
        var export = await ExportAsync(server, cluster, id);
        AssertEveryEpochOnce(export);
        Assert.Equal(Runs * Epochs, done.EpochsReported);
        foreach (var reported in reportedBeforeKill)
        {
            var stored = export.Single(r => (int)r["run"]! == reported.Run)["epochs"]!.AsArray()
                .Single(e => (int)e!["epoch"]! == reported.Epoch!.Epoch)!;
            Assert.Equal(BitConverter.DoubleToInt64Bits(reported.Epoch!.TrainLoss), BitConverter.DoubleToInt64Bits((double)stored["train_loss"]!));
        }
        output.WriteLine($"epochs reported before kill -9 of the postmaster: {reportedBeforeKill.Count} of {Runs * Epochs}; all exported once after the restart");
    }

    /// <summary>`excl export --format json` through the PostgreSQL membership table; the runs of the export.</summary>
    private static async Task<List<JsonNode>> ExportAsync(PostgresServer server, LocalCluster cluster, string id)
    {
        var export = await Programs.ExclAsync(Programs.TempFolder(), ClusterSweeps.SweepTimeout, ["export", id, "--format", "json", .. ClientOptions(server, cluster)]);
        Assert.True(export.Code == 0, $"excl export exit {export.Code}\n{export.Err}");
        return JsonNode.Parse(export.Out)!["runs"]!.AsArray().Select(r => r!).ToList();
    }

    private static string[] ClientOptions(PostgresServer server, LocalCluster cluster) =>
        ["--postgres", cluster.Silos[0].Environment["Cluster__Postgres"], "--postgres-password", PostgresServer.Password,
         "--service-id", cluster.ServiceId, "--cluster-id", "test"];

    /// <summary>Every run completed with epochs 1..Epochs, each once, in order.</summary>
    private static void AssertEveryEpochOnce(List<JsonNode> runs)
    {
        Assert.Equal(Enumerable.Range(0, Runs), runs.Select(r => (int)r["run"]!).Order());
        foreach (var run in runs)
        {
            Assert.Equal("completed", (string?)run["status"]);
            Assert.Equal(Enumerable.Range(1, Epochs), run["epochs"]!.AsArray().Select(e => (int)e!["epoch"]!));
        }
    }

    /// <summary>The exported trajectory equals, bit for bit, the same run trained here without interruption.</summary>
    private static void AssertUninterrupted(JsonNode run)
    {
        var expected = ClusterSweeps.Uninterrupted(run["settings"]!.ToJsonString());
        var epochs = run["epochs"]!.AsArray();
        Assert.Equal(expected.Count, epochs.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i].TrainLoss), BitConverter.DoubleToInt64Bits((double)epochs[i]!["train_loss"]!));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i].ValLoss), BitConverter.DoubleToInt64Bits((double)epochs[i]!["val_loss"]!));
        }
    }
}
