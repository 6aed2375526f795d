using ExperimentCluster.Contracts;
using Xunit.Abstractions;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

[Collection(ClusterTestGroup.Name)]
public sealed class RedisFailureTests(ITestOutputHelper output)
{
    private const int Epochs = 12;

    [Fact]
    public async Task Stopping_and_restarting_Redis_mid_sweep_loses_nothing_and_the_sweep_completes()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 3, slots: 2);
        const string id = "redis-restart";
        Assert.Null((await cluster.Grains.Sweep(id).SubmitAsync(ClusterSweeps.Twelve(Epochs, concurrency: 6))).Error);
        var before = await Waits.ForAsync(() => cluster.RunsAsync(id, 12), v => v.Count(r => r is { Epochs: >= 1 }) >= 3, ClusterSweeps.SweepTimeout, _ => cluster.Logs());
        var epochsBefore = before.Sum(r => r?.Epochs ?? 0);

        await cluster.Redis.ShutdownAsync();
        // The outage itself (not a wait for a condition): checkpoints and reports queue in the Redis clients meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.Redis.StartAsync();

        var done = await cluster.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, ClusterSweeps.SweepTimeout);
        Assert.Equal(SweepStatus.Completed, done.Status);
        await ClusterSweeps.AssertAllCompleteAsync(cluster, id, 12, Epochs);
        output.WriteLine($"epochs checkpointed before the outage: {epochsBefore}; all {12 * Epochs} present after it");
    }

    [Fact]
    public async Task A_whole_cluster_stopped_mid_sweep_and_started_again_finishes_the_sweep_with_excl_resume()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 3, slots: 2);
        const string id = "full-restart";
        Assert.Null((await cluster.Grains.Sweep(id).SubmitAsync(ClusterSweeps.Twelve(Epochs, concurrency: 6))).Error);
        // Stored checkpoints, not reported epochs: an epoch is reported before its checkpoint is written, and a CI run
        // that killed the cluster in between restarted every run from scratch, so none resumed. A run's view names its
        // checkpoint just before the state write that stores it, so a second checkpoint proves the first is stored.
        await Waits.ForAsync(() => cluster.RunsAsync(id, 12), v => v.Count(r => r is { Status: RunStatus.Running, CheckpointEpoch: >= 2 }) >= 3, ClusterSweeps.SweepTimeout, _ => cluster.Logs());

        // Every machine goes down at once: no silo gets to hand anything over.
        foreach (var silo in cluster.Silos)
            silo.Kill();
        foreach (var silo in cluster.Silos)
            silo.Start();
        await Task.WhenAll(cluster.Silos.Select(s => s.WaitHealthyAsync(LocalCluster.Startup)));

        var resume = await Programs.ExclAsync(Programs.TempFolder(), ClusterSweeps.SweepTimeout, "resume", id, "--json",
            "--gateway", cluster.GatewayList, "--service-id", cluster.ServiceId, "--cluster-id", "test");
        Assert.True(resume.Code == 0, $"excl resume exit {resume.Code}\n{resume.Out}\n{resume.Err}\n{cluster.Logs()}");
        await cluster.ConnectAsync();
        var done = (await cluster.Grains.Sweep(id).GetState())!;
        Assert.Equal(SweepStatus.Completed, done.Status);
        var details = await ClusterSweeps.AssertAllCompleteAsync(cluster, id, 12, Epochs);
        Assert.Contains(details, d => d.Run.Resumes >= 1);
    }
}
