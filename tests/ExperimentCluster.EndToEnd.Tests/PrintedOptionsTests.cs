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
