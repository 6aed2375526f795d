using ExperimentCluster.EndToEnd.Tests.Cluster;

namespace ExperimentCluster.EndToEnd.Tests.Postgres;

/// <summary>
/// The answer's next step on a postgres-mode cluster is a command that works: it printed `--postgres host:port/db` (the
/// description messages use), which is no connection string, so the step it offered failed.
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed class PostgresNextStepTests
{
    [Fact]
    public async Task The_next_step_excl_show_prints_reaches_the_cluster_and_never_prints_the_password()
    {
        await using var server = await PostgresServer.StartAsync();
        await using var cluster = await LocalCluster.StartPostgresAsync(server, silos: 1, slots: 2);
        var dir = Programs.TempFolder();
        // The password inside the connection string, as a user may give it: the printed command must leave it out.
        var withPassword = $"{cluster.Silos[0].Environment["Cluster__Postgres"]};Password={PostgresServer.Password}";
        string[] options = ["--postgres", withPassword, "--service-id", cluster.ServiceId, "--cluster-id", "test"];
        var submit = await Programs.ExclAsync(dir, ClusterSweeps.SweepTimeout, ["submit", "--example", "quick", "--id", "pg-next", .. options]);
        Assert.True(submit.Code == 0, $"submit exit {submit.Code}\n{submit.Out}\n{submit.Err}");
        var watch = await Programs.ExclAsync(dir, ClusterSweeps.SweepTimeout, ["watch", "pg-next", "--json", .. options]);
        Assert.True(watch.Code == 0, $"watch exit {watch.Code}\n{watch.Out}\n{watch.Err}\n{cluster.Logs()}");

        var show = await Programs.ExclAsync(dir, ClusterSweeps.SweepTimeout, ["show", "pg-next", .. options]);
        Assert.True(show.Code == 0, show.Err);
        Assert.DoesNotContain(PostgresServer.Password, show.Out, StringComparison.Ordinal);
        const string prefix = "next, on this cluster: ";
        var next = show.Out.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();
        Assert.EndsWith(" --run", next, StringComparison.Ordinal);
        Assert.Single(show.Out.Split('\n'), l => l.Contains("excl refine", StringComparison.Ordinal)); // the answer leaves its own out

        // The printed line, read by bash as a user's paste would be, with the password where the README puts it and
        // --out in place of --run (the check is that it reaches the sweep, not that it trains).
        var words = await Programs.ShellWordsAsync(next[..^" --run".Length]);
        Assert.Equal(["excl", "refine", "pg-next"], words[..3]);
        var refineFile = Path.Combine(dir, "refine.json");
        using var refine = Programs.Start(Programs.Excl, dir, [.. words[1..], "--out", refineFile],
            new Dictionary<string, string> { ["EXCL_POSTGRES_PASSWORD"] = PostgresServer.Password });
        var code = await refine.WaitForExitAsync(ClusterSweeps.SweepTimeout);
        Assert.True(code == 0, $"`{next}` exit {code}\n{refine.Output}\n{refine.Errors}");
        Assert.Contains("\"learning_rate\"", await File.ReadAllTextAsync(refineFile), StringComparison.Ordinal);
    }
}
