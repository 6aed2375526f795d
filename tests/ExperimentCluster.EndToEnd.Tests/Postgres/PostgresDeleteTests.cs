using ExperimentCluster.Contracts;
using ExperimentCluster.EndToEnd.Tests.Cluster;

namespace ExperimentCluster.EndToEnd.Tests.Postgres;

/// <summary>`excl delete` in postgres mode: afterwards PostgreSQL's tables are read for anything of the sweep.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class PostgresDeleteTests
{
    [Fact]
    public async Task After_excl_delete_no_stored_state_or_reminder_in_PostgreSQL_mentions_the_sweep()
    {
        await using var server = await PostgresServer.StartAsync();
        await using var cluster = await LocalCluster.StartPostgresAsync(server, silos: 1, slots: 2);
        var id = "pg-delete-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await cluster.Grains.Sweep(id).SubmitAsync(ClusterSweeps.Twelve(epochs: 2, concurrency: 4, seeds: 1))).Error);
        await cluster.WaitForSweepAsync(id, v => v.Status == SweepStatus.Completed, ClusterSweeps.SweepTimeout);
        var database = cluster.ServiceId.Replace('-', '_');
        // The sweep, its 4 runs and the index hold it: the check below can fail.
        Assert.True(await StatesMentioningAsync(server, database, id) >= 6);

        var deleted = await Programs.ExclAsync(Programs.TempFolder(), ClusterSweeps.SweepTimeout, "delete", id, "--yes",
            "--postgres", cluster.Silos[0].Environment["Cluster__Postgres"], "--postgres-password", PostgresServer.Password,
            "--service-id", cluster.ServiceId, "--cluster-id", "test");
        Assert.True(deleted.Code == 0, $"exit {deleted.Code}\n{deleted.Out}\n{deleted.Err}\n{cluster.Logs()}");
        Assert.StartsWith($"deleted sweep {id}: 4 runs", deleted.Out, StringComparison.Ordinal);

        // Deactivations write whatever is pending: none may put anything back. A cleared state keeps its row without a
        // payload (its version keeps counting, so a stale writer never matches): that row holds nothing of the sweep.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(0, await StatesMentioningAsync(server, database, id));
        Assert.Equal(0, await CountAsync(server, database, "SELECT count(*) FROM OrleansRemindersTable WHERE GrainId LIKE $1", "%" + id + "%"));
        Assert.Null(await cluster.Grains.Sweep(id).GetState());
    }

    /// <summary>Stored states whose payload (the grain's JSON) names the id.</summary>
    private static Task<long> StatesMentioningAsync(PostgresServer server, string database, string id) =>
        CountAsync(server, database, "SELECT count(*) FROM OrleansStorage WHERE PayloadBinary IS NOT NULL AND position($1::bytea in PayloadBinary) > 0",
            System.Text.Encoding.UTF8.GetBytes(id));

    private static async Task<long> CountAsync(PostgresServer server, string database, string sql, object parameter)
    {
        await using var db = server.DataSource(database);
        await using var command = db.CreateCommand(sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = parameter });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
