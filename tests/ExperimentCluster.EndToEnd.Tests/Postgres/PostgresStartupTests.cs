using System.Globalization;
using ExperimentCluster.EndToEnd.Tests.Cluster;
using ExperimentCluster.Silo.Postgres;

namespace ExperimentCluster.EndToEnd.Tests.Postgres;

/// <summary>How postgres mode starts: the schema created once however many silos start at once, and clear refusals.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class PostgresStartupTests
{
    [Fact]
    public async Task Two_silos_starting_at_once_on_an_empty_database_both_come_up_and_the_schema_is_created_once()
    {
        await using var server = await PostgresServer.StartAsync();
        // StartPostgresAsync creates the empty database and starts both silos together before waiting for either.
        await using var cluster = await LocalCluster.StartPostgresAsync(server, silos: 2, slots: 1);

        var database = new Npgsql.NpgsqlConnectionStringBuilder(cluster.Silos[0].Environment["Cluster__Postgres"]).Database!;
        await using var db = server.DataSource(database);
        Assert.Equal(PostgresSchema.Scripts.Select(s => s.Version), await IntsAsync(db, "SELECT version FROM excl_schema_version ORDER BY version"));
        Assert.Equal([2], await IntsAsync(db, "SELECT count(*)::int FROM OrleansMembershipTable WHERE Status = 3"));
    }

    [Fact]
    public async Task Ensuring_the_schema_from_several_connections_at_once_applies_each_script_once_and_again_changes_nothing()
    {
        await using var server = await PostgresServer.StartAsync();
        await server.CreateDatabaseAsync("race");
        await using var db = server.DataSource("race");

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresSchema.EnsureAsync(db, CancellationToken.None))));

        // One caller applied every script; the others waited for its lock, then found them recorded.
        Assert.Equal([0, 0, 0, PostgresSchema.Scripts.Count], applied.Order());
        Assert.Equal(0, await PostgresSchema.EnsureAsync(db, CancellationToken.None));
        var queryKeys = await IntsAsync(db, "SELECT count(*)::int FROM OrleansQuery");
        Assert.True(queryKeys[0] >= 19, $"OrleansQuery holds {queryKeys[0]} statements");
    }

    [Fact]
    public async Task A_postgres_mode_silo_without_a_connection_string_does_not_start_and_names_the_setting()
    {
        var (code, errors) = await RunSiloAsync(new Dictionary<string, string> { ["Cluster__Mode"] = "postgres" });

        Assert.True(code == 2, $"exit {code}\n{errors}");
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Cluster:Postgres:", line, StringComparison.Ordinal);
        Assert.Contains("connection string", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_postgres_mode_silo_whose_server_does_not_answer_exits_after_its_wait_naming_the_host()
    {
        var port = Programs.FreePort();
        var (code, errors) = await RunSiloAsync(new Dictionary<string, string>
        {
            ["Cluster__Mode"] = "postgres",
            // Nothing listens there.
            ["Cluster__Postgres"] = $"Host=127.0.0.1;Port={port};Database=excl;Username=excl;Timeout=2",
            ["Cluster__PostgresStartupWait"] = "00:00:01",
        });

        Assert.True(code == 3, $"exit {code}\n{errors}");
        Assert.Contains($"silo: Cluster:Postgres: cannot reach PostgreSQL at 127.0.0.1:{port}/excl", errors, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Errors)> RunSiloAsync(Dictionary<string, string> environment)
    {
        environment["Cluster__SiloPort"] = Programs.FreePort().ToString(CultureInfo.InvariantCulture);
        environment["Cluster__GatewayPort"] = Programs.FreePort().ToString(CultureInfo.InvariantCulture);
        environment["Urls"] = $"http://127.0.0.1:{Programs.FreePort()}";
        environment["Logging__LogLevel__Default"] = "None";
        using var silo = Programs.Start(Programs.Silo, Programs.TempFolder(), [], environment);
        var code = await silo.WaitForExitAsync(TimeSpan.FromMinutes(1));
        return (code, silo.Errors);
    }

    private static async Task<List<int>> IntsAsync(Npgsql.NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<int>();
        while (await reader.ReadAsync())
            values.Add(reader.GetInt32(0));
        return values;
    }
}
