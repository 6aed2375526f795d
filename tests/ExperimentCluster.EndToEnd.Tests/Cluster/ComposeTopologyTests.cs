using System.Globalization;
using ExperimentCluster.Contracts;
using YamlDotNet.RepresentationModel;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// Docker cannot run here, so docker-compose.yml is proven by starting its topology as local processes: Redis with the
/// compose command's arguments, three silos with the compose environment (only ports and addresses remapped for one
/// host), and the CLI with the tool profile's environment. A change to the compose file changes what this test runs.
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed class ComposeTopologyTests
{
    /// <summary>The only settings the test replaces: where things listen on one shared host.</summary>
    private static readonly HashSet<string> Remapped =
        ["Cluster__Redis", "Cluster__AdvertisedAddress", "Cluster__ListenOnAnyAddress", "Cluster__SiloPort", "Cluster__GatewayPort", "Urls"];

    /// <summary>What the test sets where compose demands a variable ("${VAR:?message}"), as an operator must.</summary>
    private static readonly Dictionary<string, string> Required = new() { ["EXCL_TOKEN"] = "compose-test-token" };

    [Fact]
    public async Task The_compose_topology_runs_as_local_processes_spreads_a_sweep_over_three_silos_and_Redis_demands_its_password()
    {
        var compose = Load();
        var services = (YamlMappingNode)compose["services"];
        var redis = (YamlMappingNode)services["redis"];
        var silo = (YamlMappingNode)services["silo"];
        var excl = (YamlMappingNode)services["excl"];

        // Redis: append-only on, data on a volume, a password.
        var command = ((YamlSequenceNode)redis["command"]).Select(Text).ToList();
        Assert.Equal("redis-server", command[0]);
        Assert.Equal("yes", command[command.IndexOf("--appendonly") + 1]);
        Assert.Contains(((YamlSequenceNode)redis["volumes"]).Select(Text), v => v.EndsWith(":/data", StringComparison.Ordinal));
        var passwordAt = command.IndexOf("--requirepass");
        Assert.True(passwordAt > 0, "Redis must require a password");
        var password = command[passwordAt + 1];
        var redisArgs = command.Skip(1).Where((_, i) => i + 1 != passwordAt && i + 1 != passwordAt + 1).ToList();

        // The silo image is built from deploy/, runs as a non-root user, and checks its own health.
        var build = (YamlMappingNode)silo["build"];
        Assert.Equal("deploy/Dockerfile", Text(build["dockerfile"]));
        var dockerfile = File.ReadAllText(Path.Combine(Programs.RepositoryRoot, "deploy", "Dockerfile"));
        Assert.Contains("USER $APP_UID", dockerfile, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK", dockerfile, StringComparison.Ordinal);

        // The gateway and the HTTP port are published to the host, the ones the environment configures.
        var environment = ((YamlMappingNode)silo["environment"]).Children.ToDictionary(kv => Text(kv.Key), kv => Text(kv.Value));
        var ports = ((YamlSequenceNode)silo["ports"]).Select(Text).ToList();
        Assert.Contains(ports, p => p.EndsWith(":" + environment["Cluster__GatewayPort"], StringComparison.Ordinal));
        Assert.Contains(ports, p => p.EndsWith(":" + new Uri(environment["Urls"].Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.Equal("cluster", environment["Cluster__Mode"]);
        Assert.StartsWith("redis:", environment["Cluster__Redis"], StringComparison.Ordinal);
        Assert.Equal(password, environment["Cluster__RedisPassword"]);

        // The CLI is a tool profile that knows the password and the token.
        Assert.Contains("tools", ((YamlSequenceNode)excl["profiles"]).Select(Text));
        var exclEnvironment = ((YamlMappingNode)excl["environment"]).Children.ToDictionary(kv => Text(kv.Key), kv => Text(kv.Value));

        // The silos' gateways are published, so they carry the cluster token, which the operator must set (no default);
        // the CLI sends the same one.
        var rawToken = ((YamlScalarNode)((YamlMappingNode)silo["environment"])["Http__Token"]).Value;
        Assert.StartsWith("${EXCL_TOKEN:?", rawToken, StringComparison.Ordinal);
        Assert.Equal(Required["EXCL_TOKEN"], environment["Http__Token"]);
        Assert.Equal(environment["Http__Token"], exclEnvironment["EXCL_TOKEN"]);

        using var server = await RedisServer.StartAsync(password, redisArgs);
        Assert.StartsWith("-NOAUTH", await server.CommandWithoutPasswordAsync("GET anything"), StringComparison.Ordinal);

        var nodes = new List<SiloNode>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var env = environment.Where(kv => !Remapped.Contains(kv.Key)).ToDictionary();
                env["Cluster__Redis"] = server.Address;
                env["Cluster__AdvertisedAddress"] = "127.0.0.1";
                env["Cluster__ListenOnAnyAddress"] = "false";
                env["Cluster__SiloPort"] = Programs.FreePort().ToString(CultureInfo.InvariantCulture);
                env["Cluster__GatewayPort"] = Programs.FreePort().ToString(CultureInfo.InvariantCulture);
                env["Urls"] = $"http://127.0.0.1:{Programs.FreePort()}";
                env["Logging__LogLevel__Default"] = "Warning";
                var node = new SiloNode($"silo{i}", env);
                nodes.Add(node);
                node.Start();
            }
            await Task.WhenAll(nodes.Select(n => n.WaitHealthyAsync(LocalCluster.Startup)));

            var slots = int.Parse(environment["Experiments__TrainingSlots"], CultureInfo.InvariantCulture);
            var dir = Programs.TempFolder();
            await File.WriteAllTextAsync(Path.Combine(dir, "sweep.json"), ClusterSweeps.Twelve(epochs: 3, concurrency: 3 * slots));
            var submit = await ExclAsync(dir, exclEnvironment, "submit", "sweep.json", "--id", "compose", "--redis", server.Address);
            Assert.True(submit.Code == 0, $"submit: {submit.Output}\n{string.Join("\n", nodes.Select(n => n.Output))}");
            var watch = await ExclAsync(dir, exclEnvironment, "watch", "compose", "--json", "--redis", server.Address);
            Assert.True(watch.Code == 0, $"watch: {watch.Output}");
            Assert.Contains("\"status\":\"completed\"", Programs.LastLine(watch.Output), StringComparison.Ordinal);

            // Every silo trained some of the runs (the experiments API of any silo tells where each run trained).
            using var http = new HttpClient { BaseAddress = nodes[0].Http };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", environment["Http__Token"]);
            var api = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri("/api/sweeps/compose", UriKind.Relative)))!;
            var where = api["leaderboard"]!.AsArray().Select(r => (string?)r!["silo"]).ToList();
            Assert.Equal(12, where.Count);
            foreach (var node in nodes)
                Assert.True(where.Any(node.Owns), $"{node.Name} trained no run: {string.Join(", ", where)}");
        }
        finally
        {
            foreach (var n in nodes)
                n.Dispose();
        }
    }

    private static async Task<(int Code, string Output)> ExclAsync(string dir, Dictionary<string, string> environment, params string[] args)
    {
        using var process = ChildProcess.Start("dotnet", [Programs.Excl, .. args], dir, environment);
        await Waits.UntilAsync(() => Task.FromResult(process.HasExited), ClusterSweeps.SweepTimeout, () => process.Output);
        return (process.ExitCode, process.Output);
    }

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Programs.RepositoryRoot, "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    /// <summary>
    /// A scalar's text, with compose's "${VAR:-default}" read as its default (no such variable is set in tests) and
    /// "${VAR:?message}" as the value the test sets for a required variable.
    /// </summary>
    private static string Text(YamlNode node)
    {
        var text = ((YamlScalarNode)node).Value ?? "";
        var start = text.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
            return text;
        var end = text.IndexOf('}', start);
        var inner = text[(start + 2)..end];
        var value = inner.Contains(":-", StringComparison.Ordinal) ? inner[(inner.IndexOf(":-", StringComparison.Ordinal) + 2)..]
            : inner.Contains(":?", StringComparison.Ordinal) ? Required[inner[..inner.IndexOf(":?", StringComparison.Ordinal)]]
            : "";
        return text[..start] + value + text[(end + 1)..];
    }
}
