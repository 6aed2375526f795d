using ExperimentCluster.Contracts;
using ExperimentCluster.Cli;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>
/// The options excl prints in a command to copy (the answer's next step, "continue with: excl resume ..."): a shell must
/// read each value back as it was given, and a password given in a connection string must not be printed.
/// </summary>
public sealed class PrintedOptionsTests
{
    [Theory]
    [InlineData("plain-word_1.2:3,a=b@c%d+e")]
    [InlineData("my runs")]
    [InlineData("Host=db;Database=excl;Username=excl")]
    [InlineData("it's $HOME and `date` \"quoted\" \\ back")]
    [InlineData("")]
    public async Task A_value_comes_back_from_bash_as_it_was_given(string value) =>
        Assert.Equal([value], await Programs.ShellWordsAsync(ShellWord.Quote(value)));

    [Fact]
    public void A_silo_names_the_options_that_reach_its_own_sweeps()
    {
        var folder = Path.Combine(Path.GetTempPath(), "my runs");
        Assert.Equal(new ExperimentCluster.Silo.SiloReach($"--data-dir '{folder}'", Cluster: false),
            ExperimentCluster.Silo.SiloReach.Of(new ExperimentCluster.Silo.SiloSettings { DataDir = folder }));
        Assert.Equal(new ExperimentCluster.Silo.SiloReach("--gateway 10.1.2.3:30001", Cluster: true),
            ExperimentCluster.Silo.SiloReach.Of(new ExperimentCluster.Silo.SiloSettings { Mode = "cluster", AdvertisedAddress = "10.1.2.3", GatewayPort = 30001 }));
        // A second local silo joins the first one's cluster: its gateway, not the folder the first one holds.
        Assert.Equal(new ExperimentCluster.Silo.SiloReach("--gateway 127.0.0.1:30002", Cluster: true),
            ExperimentCluster.Silo.SiloReach.Of(new ExperimentCluster.Silo.SiloSettings { SiloPort = 11112, PrimarySiloPort = 11111, GatewayPort = 30002 }));

        // Served, the answer loses its own next step and the one that works there comes beside it.
        var view = new SweepView("s1", "s", SweepStatus.Completed, 1, new Dictionary<RunStatus, int>(), 0.1, 0, DateTimeOffset.UnixEpoch, null, 1);
        var results = new SweepResults(view, [], [], "", "{}", Answer: "the best learning rate is 0.1: 0.2 (one seed); next: excl refine s1 --out refine.json && excl run refine.json.");
        var served = new ExperimentCluster.Silo.SiloReach("--gateway 10.1.2.3:30001", Cluster: true).Serve(results);
        Assert.Equal("the best learning rate is 0.1: 0.2 (one seed).", served.Answer);
        Assert.Equal("next, on this cluster: excl refine s1 --gateway 10.1.2.3:30001 --run", served.NextStep);
    }

    [Fact]
    public void A_plain_value_is_printed_without_quotes() =>
        Assert.Equal("--gateway a:1,b:2 --cluster-id prod", new ConnectionSettings { Gateway = "a:1,b:2", ClusterId = "prod" }.PrintedOptions());

    [Fact]
    public void A_postgres_connection_string_is_printed_whole_and_quoted_without_its_password()
    {
        var printed = new ConnectionSettings { Postgres = "Host=db;Port=5433;Database=excl;Username=excl;Password=s3cret" }.PrintedOptions();
        Assert.Equal("--postgres 'Host=db;Port=5433;Database=excl;Username=excl'", printed);
    }

    [Fact]
    public void A_redis_password_is_not_printed()
    {
        var printed = new ConnectionSettings { Redis = "redis1:6379,password=s3cret", ServiceId = "team a" }.PrintedOptions();
        Assert.DoesNotContain("s3cret", printed, StringComparison.Ordinal);
        Assert.StartsWith("--redis redis1:6379", printed, StringComparison.Ordinal);
        Assert.EndsWith(" --service-id 'team a'", printed, StringComparison.Ordinal);
        Assert.Equal("--redis redis1:6379", new ConnectionSettings { Redis = "redis1:6379" }.PrintedOptions());
    }

    [Theory]
    [InlineData(".excl", "")]
    [InlineData("py", "--data-dir py")]
    [InlineData("my runs", "--data-dir 'my runs'")]
    public void A_data_folder_is_printed_unless_it_is_the_default(string dataDir, string printed) =>
        Assert.Equal(printed, new ConnectionSettings { DataDir = dataDir }.PrintedOptions());
}
