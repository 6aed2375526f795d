using YamlDotNet.RepresentationModel;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>The redis-server arguments of docker-compose.yml's redis service (append-only file, fsync policy), less the
/// password, which each test sets itself: tests of Redis failures run Redis as compose does.</summary>
public static class ComposeRedis
{
    public static IReadOnlyList<string> Arguments()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Programs.RepositoryRoot, "docker-compose.yml")))
            yaml.Load(reader);
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        var command = ((YamlSequenceNode)((YamlMappingNode)services["redis"])["command"]).Select(n => ((YamlScalarNode)n).Value ?? "").ToList();
        Assert.Equal("redis-server", command[0]);
        var args = command.Skip(1).ToList();
        var password = args.IndexOf("--requirepass");
        if (password >= 0)
            args.RemoveRange(password, 2);
        return args;
    }

    /// <summary>The compose file's value of one option (such as "--appendfsync"), or null.</summary>
    public static string? Option(string name)
    {
        var args = Arguments();
        var at = args.ToList().IndexOf(name);
        return at >= 0 && at + 1 < args.Count ? args[at + 1] : null;
    }
}
