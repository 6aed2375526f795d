using System.Diagnostics;
using System.Globalization;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>`excl delete` against a real silo process on Redis: afterwards Redis itself is read, key by key.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class DeleteSweepRedisTests
{
    [Fact]
    public async Task After_excl_delete_yes_no_Redis_key_or_value_mentions_the_sweep_and_without_yes_nothing_was_removed()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 1, slots: 2);
        var id = "redis-delete-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await cluster.Grains.Sweep(id).SubmitAsync(ClusterSweeps.Twelve(epochs: 2, concurrency: 4, seeds: 1))).Error);
        await cluster.WaitForSweepAsync(id, v => v.Status == SweepStatus.Completed, ClusterSweeps.SweepTimeout);
        string[] connect = ["--gateway", cluster.GatewayList, "--service-id", cluster.ServiceId, "--cluster-id", "test"];
        var before = await RedisContentsAsync(cluster.Redis);
        // The sweep's 4 runs and the sweep are keys of their own, and the index names it: the checks below can fail.
        Assert.True(before.Keys.Count(k => k.Contains(id, StringComparison.Ordinal)) >= 5, "keys before: " + string.Join(", ", before.Keys));

        // Without --yes and without a terminal to ask on: refused, and nothing is removed.
        var refused = await NoTerminal.ExclAsync(["delete", id, .. connect]);
        Assert.True(refused.Code == 2, $"exit {refused.Code}\n{refused.Out}\n{refused.Err}");
        Assert.Contains("--yes", refused.Err, StringComparison.Ordinal);
        Assert.NotNull(await cluster.Grains.Sweep(id).GetState());
        Assert.Equal(before.Keys.Order(), (await RedisContentsAsync(cluster.Redis)).Keys.Order());

        var deleted = await NoTerminal.ExclAsync(["delete", id, "--yes", .. connect]);
        Assert.True(deleted.Code == 0, $"exit {deleted.Code}\n{deleted.Out}\n{deleted.Err}\n{cluster.Logs()}");
        // One checkpoint: keep_checkpoints' default (best) dropped the other finished runs'.
        Assert.StartsWith($"deleted sweep {id}: 4 runs, 8 epochs of trajectories, 0 earlier attempts, 1 checkpoint, 0 characters of logs", deleted.Out, StringComparison.Ordinal);
        // Deactivations write whatever is pending: none may put anything back.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var after = await RedisContentsAsync(cluster.Redis);
        Assert.DoesNotContain(after.Keys, k => k.Contains(id, StringComparison.Ordinal));
        Assert.DoesNotContain(id, after.Values, StringComparison.Ordinal);
        Assert.Null(await cluster.Grains.Sweep(id).GetState());

        var again = await NoTerminal.ExclAsync(["delete", id, "--yes", .. connect]);
        Assert.Equal(2, again.Code);
        Assert.Contains($"no sweep '{id}'", again.Err, StringComparison.Ordinal);
    }

    /// <summary>Every key in Redis, and the text of every value (hash fields and values, strings, members).</summary>
    private static async Task<(List<string> Keys, string Values)> RedisContentsAsync(RedisServer redis)
    {
        var keys = (await RedisCliAsync(redis, "--scan")).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var values = new System.Text.StringBuilder();
        foreach (var key in keys)
        {
            var type = (await RedisCliAsync(redis, "TYPE", key)).Trim();
            string[] read = type switch
            {
                "hash" => ["HGETALL", key],
                "string" => ["GET", key],
                "set" => ["SMEMBERS", key],
                "zset" => ["ZRANGE", key, "0", "-1"],
                "list" => ["LRANGE", key, "0", "-1"],
                _ => throw new InvalidOperationException($"key {key} has type {type}, which this test does not read"),
            };
            values.AppendLine(await RedisCliAsync(redis, read));
        }
        return (keys, values.ToString());
    }

    private static async Task<string> RedisCliAsync(RedisServer redis, params string[] command)
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", redis.Port.ToString(CultureInfo.InvariantCulture), "--no-auth-warning", "--raw" })
            info.ArgumentList.Add(a);
        if (redis.Password is { } password)
        {
            info.ArgumentList.Add("-a");
            info.ArgumentList.Add(password);
        }
        foreach (var a in command)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"redis-cli {string.Join(' ', command)}: {await process.StandardError.ReadToEndAsync()}");
        return output;
    }
}
