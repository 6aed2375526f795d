using System.Text.Json.Nodes;
using ExperimentCluster.Contracts;
using Xunit.Abstractions;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// Redis crashes under a running sweep, with the compose file's Redis settings (append-only file and its fsync policy).
/// A grain whose stored state Redis lost meets an ETag conflict at its next write and must recover by itself
/// (RecoveringState); the silos count both, and every conflict must be matched by a recovery.
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed class RedisCrashTests(ITestOutputHelper output)
{
    private const int Runs = 12;
    private const int Epochs = 12;

    [Fact]
    public async Task Kill_9_of_Redis_with_the_compose_settings_mid_sweep_and_a_restart_complete_the_sweep_by_itself_and_every_conflict_is_recovered()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 3, slots: 2, redisArgs: ComposeRedis.Arguments());
        const string id = "redis-kill";
        Assert.Null((await cluster.Grains.Sweep(id).SubmitAsync(ClusterSweeps.Twelve(Epochs, concurrency: 6))).Error);
        var before = await Waits.ForAsync(() => cluster.RunsAsync(id, Runs), v => v.Count(r => r is { Epochs: >= 1 }) >= 3, ClusterSweeps.SweepTimeout, _ => cluster.Logs());

        cluster.Redis.Kill();
        await cluster.Redis.StartAsync();

        var done = await cluster.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, ClusterSweeps.SweepTimeout);
        Assert.Equal(SweepStatus.Completed, done.Status);
        AssertEveryEpochOnce(await ExportAsync(cluster, id));
        Assert.Equal(Runs * Epochs, done.EpochsReported);
        var counts = await Waits.ForAsync(() => ConflictCounts.ReadAsync(cluster.Silos), c => c.AllRecovered, TimeSpan.FromMinutes(1), c => $"{c}\n{cluster.Logs()}");
        output.WriteLine($"appendfsync {ComposeRedis.Option("--appendfsync")}; epochs before kill -9: {before.Sum(r => r?.Epochs ?? 0)}; {counts}");
    }

    [Fact]
    public async Task Redis_restarted_from_an_older_append_only_file_gives_grains_conflicts_each_recovers_by_itself_and_nothing_is_lost()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 3, slots: 2, redisArgs: ComposeRedis.Arguments());
        const string id = "redis-lost-writes";
        Assert.Null((await cluster.Grains.Sweep(id).SubmitAsync(ClusterSweeps.Twelve(Epochs, concurrency: 6))).Error);
        var atCopy = await Waits.ForAsync(() => cluster.RunsAsync(id, Runs), v => v.Count(r => r is { Epochs: >= 1 }) >= 3, ClusterSweeps.SweepTimeout, _ => cluster.Logs());

        // The append-only file as it was at this moment, copied while Redis is frozen (a consistent image) ...
        var copy = await CopyAppendOnlyFileAsync(cluster.Redis);
        var epochsAtCopy = atCopy.Sum(r => r?.Epochs ?? 0);
        var startedAtCopy = atCopy.Count(r => r is not null);
        Assert.True(startedAtCopy < Runs, "every run had started before the copy");
        // ... then the sweep goes on, so that runs and the sweep write states the copy does not have (the sweep stores a
        // run before it starts it, so a run started since the copy means a sweep write the copy lacks) ...
        await Waits.ForAsync(() => cluster.RunsAsync(id, Runs), v => v.Sum(r => r?.Epochs ?? 0) >= epochsAtCopy + 6 && v.Count(r => r is not null) > startedAtCopy,
            ClusterSweeps.SweepTimeout, _ => cluster.Logs());
        // ... and Redis crashes and comes back with the old file: every write since the copy is lost, as a power loss
        // loses the writes an `appendfsync everysec` Redis had not yet synced (or as a restored backup does).
        cluster.Redis.Kill();
        var folder = Path.Combine(cluster.Redis.DataFolder, "appendonlydir");
        Directory.Delete(folder, recursive: true);
        CopyFolder(copy, folder);
        await cluster.Redis.StartAsync();

        var done = await cluster.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, ClusterSweeps.SweepTimeout);
        Assert.Equal(SweepStatus.Completed, done.Status);
        var export = await ExportAsync(cluster, id);
        AssertEveryEpochOnce(export);
        Assert.Equal(Runs * Epochs, done.EpochsReported);
        var counts = await Waits.ForAsync(() => ConflictCounts.ReadAsync(cluster.Silos), c => c.TotalMet >= 1 && c.AllRecovered, TimeSpan.FromMinutes(1),
            c => $"{c}\n{cluster.Logs()}");
        Assert.True(counts.Met.GetValueOrDefault("run") >= 1, $"no run met a conflict: {counts}");
        Assert.True(counts.Met.GetValueOrDefault("sweep") >= 1, $"the sweep met no conflict: {counts}");
        // A recovered run continued exactly where it was: its trajectory is, bit for bit, that of an uninterrupted run.
        foreach (var run in export)
            ClusterSweeps.AssertSameTrajectory(ClusterSweeps.Uninterrupted(run["settings"]!.ToJsonString()), Records(run));
        output.WriteLine($"epochs at the copy: {epochsAtCopy}; {counts}");
    }

    /// <summary>SIGSTOP, copy appendonlydir/, SIGCONT: the files as of one instant.</summary>
    private static async Task<string> CopyAppendOnlyFileAsync(RedisServer redis)
    {
        var copy = Path.Combine(Programs.TempFolder(), "appendonlydir");
        await SignalAsync(redis.ProcessId, "STOP");
        try
        {
            CopyFolder(Path.Combine(redis.DataFolder, "appendonlydir"), copy);
        }
        finally
        {
            await SignalAsync(redis.ProcessId, "CONT");
        }
        return copy;
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    /// <summary>`excl export --format json` through the gateways; the runs of the export.</summary>
    private static async Task<List<JsonNode>> ExportAsync(LocalCluster cluster, string id)
    {
        var export = await Programs.ExclAsync(Programs.TempFolder(), ClusterSweeps.SweepTimeout,
            "export", id, "--format", "json", "--gateway", cluster.GatewayList, "--service-id", cluster.ServiceId, "--cluster-id", "test");
        Assert.True(export.Code == 0, $"excl export exit {export.Code}\n{export.Err}");
        return JsonNode.Parse(export.Out)!["runs"]!.AsArray().Select(r => r!).ToList();
    }

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

    private static List<EpochRecord> Records(JsonNode run) =>
        run["epochs"]!.AsArray().Select(e => new EpochRecord((int)e!["epoch"]!, (double)e["train_loss"]!, (double)e["val_loss"]!,
            (double?)e["val_accuracy"], (double)e["learning_rate"]!, 0, 0)).ToList();
}
