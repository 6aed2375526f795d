using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests;

public sealed class SiloProcessTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_silo_process_serves_health_and_the_dashboard_and_runs_a_sweep_submitted_through_its_gateway()
    {
        var dir = Programs.TempFolder();
        int http = Programs.FreePort(), silo = Programs.FreePort(), gateway = Programs.FreePort();
        using var process = Programs.Start(Programs.Silo, dir, [], new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{http}",
            ["Cluster__DataDir"] = Path.Combine(dir, "data"),
            ["Cluster__SiloPort"] = silo.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        var deadline = DateTime.UtcNow + Long;
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode)
                    break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(Programs.PollInterval);
            }
        }
        var dashboard = await client.GetAsync("/dashboard/");
        Assert.True(dashboard.IsSuccessStatusCode, $"dashboard answered {dashboard.StatusCode}");

        var gatewayArg = $"127.0.0.1:{gateway}";
        var submit = await Programs.ExclAsync(dir, Long, "submit", "--example", "quick", "--id", "remote", "--gateway", gatewayArg);
        Assert.True(submit.Code == 0, $"submit exit {submit.Code}\n{submit.Out}\n{submit.Err}");
        Assert.Equal("remote", submit.Out.Trim());

        var watch = await Programs.ExclAsync(dir, Long, "watch", "remote", "--gateway", gatewayArg, "--json");
        Assert.True(watch.Code == 0, $"watch exit {watch.Code}\n{watch.Out}\n{watch.Err}");
        var summary = JsonNode.Parse(watch.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!;
        Assert.Equal("completed", (string?)summary["status"]);
        Assert.Equal(6, (int)summary["runs"]!);

        var api = JsonNode.Parse(await client.GetStringAsync("/api/sweeps/remote"))!;
        Assert.Equal(6, api["leaderboard"]!.AsArray().Count);
        var list = await Programs.ExclAsync(dir, Long, "list", "--gateway", gatewayArg, "--json");
        Assert.Contains("\"sweep_id\":\"remote\"", list.Out, StringComparison.Ordinal);
    }
}
