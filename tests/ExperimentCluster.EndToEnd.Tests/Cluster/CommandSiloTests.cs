using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// Command sweeps on real silo processes: a standalone silo runs the programs sweep files name only when it is told to
/// (Experiments:Commands:Allow), and only with the cluster token, since whoever reaches its gateway could run code there.
/// </summary>
public sealed class CommandSiloTests
{
    private const string Token = "command-test-token";

    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_standalone_silo_without_the_setting_refuses_a_command_sweep_naming_the_setting()
    {
        var dir = Programs.TempFolder();
        var (silo, http, gateway) = await SiloProcessTests.StartSiloAsync(dir);
        using var _ = silo;
        using var __ = http;
        var markers = Markers(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "sweep.json"), Sweep(markers));

        var submit = await ExclAsync(dir, null, "submit", "sweep.json", "--id", "refused", "--gateway", gateway);

        Assert.True(submit.Code == 2, $"submit exit {submit.Code}\n{submit.Out}\n{submit.Err}");
        var line = Assert.Single(submit.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Experiments:Commands:Allow", line, StringComparison.Ordinal);
        Assert.Contains("command", line, StringComparison.Ordinal);
        // Nothing was stored and nothing ran.
        var list = await ExclAsync(dir, null, "list", "--gateway", gateway, "--json");
        Assert.DoesNotContain("refused", list.Out, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(markers));
    }

    [Fact]
    public async Task A_standalone_silo_that_allows_commands_and_has_the_token_runs_a_command_sweep_to_the_end()
    {
        var dir = Programs.TempFolder();
        var (silo, http, gateway) = await SiloProcessTests.StartSiloAsync(dir, new()
        {
            ["Experiments__Commands__Allow"] = "true",
            ["Http__Token"] = Token,
        });
        using var _ = silo;
        using var __ = http;
        var markers = Markers(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "sweep.json"), Sweep(markers));

        var submit = await ExclAsync(dir, null, "submit", "sweep.json", "--id", "allowed", "--gateway", gateway, "--token", Token);
        Assert.True(submit.Code == 0, $"submit exit {submit.Code}\n{submit.Out}\n{submit.Err}\n{silo.Output}");
        var watch = await ExclAsync(dir, Token, "watch", "allowed", "--gateway", gateway, "--json");
        Assert.True(watch.Code == 0, $"watch exit {watch.Code}\n{watch.Out}\n{watch.Err}");
        var summary = JsonNode.Parse(Programs.LastLine(watch.Out))!;
        Assert.Equal("completed", (string?)summary["status"]);
        Assert.Equal(2, (int)summary["runs"]!);

        // Each run was one process of the trial script, and none is left.
        var pids = Directory.GetFiles(markers, "pids-*").SelectMany(File.ReadAllLines).Where(l => l.Length > 0).ToList();
        Assert.Equal(2, pids.Count);
        Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"trial process {pid} is still alive"));
        var export = await ExclAsync(dir, Token, "export", "allowed", "--format", "json", "--gateway", gateway);
        var runs = JsonNode.Parse(export.Out)!["runs"]!.AsArray();
        Assert.All(runs, r => Assert.True((string?)r!["status"] == "completed", r.ToJsonString()));
        Assert.All(runs, r => Assert.Equal(3, r!["epochs"]!.AsArray().Count));
    }

    [Fact]
    public async Task A_silo_that_allows_commands_without_the_token_does_not_start_and_names_the_setting()
    {
        var dir = Programs.TempFolder();
        var environment = new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{Programs.FreePort()}",
            ["Cluster__DataDir"] = Path.Combine(dir, "state"),
            ["Cluster__SiloPort"] = Programs.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = Programs.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Experiments__Commands__Allow"] = "true",
            ["Http__Token"] = "",
        };
        using var silo = Programs.Start(Programs.Silo, dir, [], environment);
        var code = await silo.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.True(code == 2, $"exit {code}\n{silo.Output}\n{silo.Errors}");
        var line = Assert.Single(silo.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Experiments:Commands:Allow", line, StringComparison.Ordinal);
        Assert.Contains("Http:Token", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", silo.Output, StringComparison.Ordinal);
    }

    /// <summary>Two runs of the well-behaved trial script, three epochs each.</summary>
    private static string Sweep(string markers) => $$"""
        {
          "name": "command-silo",
          "command": {
            "run": ["python3", {{JsonSerializer.Serialize(Path.Combine(AppContext.BaseDirectory, "Trials", "Scripts", "trial.py"))}}],
            "env": { "MARKERS": {{JsonSerializer.Serialize(markers)}} },
            "epochs": 3
          },
          "search": { "strategy": "grid", "space": { "rate": { "values": [0.1, 0.2] } } },
          "concurrency": 2
        }
        """;

    /// <summary>The folder where the trial script leaves its process ids.</summary>
    private static string Markers(string dir) => Directory.CreateDirectory(Path.Combine(dir, "markers")).FullName;

    /// <summary>excl with EXCL_TOKEN set to <paramref name="token"/> (null: set to empty, so the test's own environment does not leak in).</summary>
    private static async Task<(int Code, string Out, string Err)> ExclAsync(string dir, string? token, params string[] args)
    {
        using var excl = Programs.Start(Programs.Excl, dir, args, new Dictionary<string, string> { ["EXCL_TOKEN"] = token ?? "" });
        var code = await excl.WaitForExitAsync(Long);
        return (code, excl.Output, excl.Errors);
    }
}
