using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>The gateway's boundary: every client call carries the cluster token, and no silo opens its gateway beyond loopback without one.</summary>
public sealed class GatewayTokenTests
{
    private const string Token = "gateway-test-token";

    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_client_without_the_token_or_with_a_wrong_one_can_neither_submit_cancel_nor_read_and_with_it_everything_works()
    {
        var dir = Programs.TempFolder();
        var (process, http, gateway) = await SiloProcessTests.StartSiloAsync(dir, new Dictionary<string, string> { ["Http__Token"] = Token });
        using var _ = process;
        using var __ = http;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        // With the token (--token, then EXCL_TOKEN): a short sweep runs to the end, which needs the silo's own calls
        // (grain to grain, timers, reminders) to pass the gate; the HTTP API's reads go through the silo's hosted client.
        var submit = await ExclAsync(dir, null, "submit", "--example", "quick", "--id", "open", "--gateway", gateway, "--token", Token);
        Assert.True(submit.Code == 0, $"submit exit {submit.Code}\n{submit.Out}\n{submit.Err}");
        var watch = await ExclAsync(dir, Token, "watch", "open", "--gateway", gateway, "--json");
        Assert.True(watch.Code == 0, $"watch exit {watch.Code}\n{watch.Out}\n{watch.Err}");
        Assert.Equal("completed", (string?)JsonNode.Parse(Programs.LastLine(watch.Out))!["status"]);
        Assert.Equal(6, JsonNode.Parse(await http.GetStringAsync(new Uri("/api/sweeps/open", UriKind.Relative)))!["leaderboard"]!.AsArray().Count);
        foreach (var read in new[] { new[] { "list" }, ["show", "open"], ["export", "open", "--format", "json"] })
        {
            var answer = await ExclAsync(dir, Token, [.. read, "--gateway", gateway]);
            Assert.True(answer.Code == 0, $"{read[0]} exit {answer.Code}\n{answer.Err}");
        }

        // A sweep that keeps training, so that a refused cancel can be seen to have changed nothing.
        var endless = Path.Combine(dir, "endless.json");
        await File.WriteAllTextAsync(endless, """
            { "name": "endless", "training": { "dataset": "iris", "layers": [4], "epochs": 100000 },
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01] } } } }
            """);
        Assert.Equal(0, (await ExclAsync(dir, Token, "submit", endless, "--id", "endless", "--gateway", gateway)).Code);

        // These come after the token's calls, on the same grains, so a token left over from an earlier call would show.
        foreach (var (who, token) in new[] { ("no token", ""), ("a wrong token", "not-" + Token) })
        {
            string[][] attempts =
            [
                ["submit", "--example", "quick", "--id", "intruder"],
                ["cancel", "endless"],
                ["list"],
                ["show", "open"],
                ["export", "open", "--format", "csv"],
            ];
            foreach (var attempt in attempts)
            {
                var refused = await ExclAsync(dir, token, [.. attempt, "--gateway", gateway]);
                var context = $"{attempt[0]} with {who}: exit {refused.Code}\n{refused.Out}\n{refused.Err}";
                Assert.True(refused.Code == 2, context);
                Assert.Contains("token", refused.Err, StringComparison.Ordinal);
                Assert.Single(refused.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.DoesNotContain("open", refused.Out, StringComparison.Ordinal);
            }
        }

        // Nothing the refused calls asked for happened: no new sweep, the endless one still trains, until the token cancels it.
        var list = await ExclAsync(dir, Token, "list", "--gateway", gateway, "--json");
        Assert.DoesNotContain("intruder", list.Out, StringComparison.Ordinal);
        var endlessStatus = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/sweeps/endless", UriKind.Relative)))!["sweep"]!["status"];
        Assert.Equal("running", (string?)endlessStatus);
        Assert.Equal(0, (await ExclAsync(dir, Token, "cancel", "endless", "--gateway", gateway)).Code);
        var cancelled = await ExclAsync(dir, Token, "watch", "endless", "--gateway", gateway, "--json");
        Assert.Equal("cancelled", (string?)JsonNode.Parse(Programs.LastLine(cancelled.Out))!["status"]);
    }

    [Theory]
    [InlineData("Cluster__ListenOnAnyAddress", "true")]
    [InlineData("Cluster__AdvertisedAddress", "10.255.255.1")]
    public async Task A_silo_whose_gateway_would_listen_beyond_loopback_without_a_token_does_not_start_and_says_why(string setting, string value)
    {
        var dir = Programs.TempFolder();
        var environment = new Dictionary<string, string>
        {
            ["Cluster__Mode"] = "cluster",
            // Nothing listens there: had the silo started, it would wait for Redis rather than exit.
            ["Cluster__Redis"] = $"127.0.0.1:{Programs.FreePort()}",
            ["Cluster__SiloPort"] = Programs.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = Programs.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Urls"] = $"http://127.0.0.1:{Programs.FreePort()}",
            ["Http__Token"] = "",
            [setting] = value,
        };
        using var silo = Programs.Start(Programs.Silo, dir, [], environment);
        var code = await silo.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.True(code == 2, $"exit {code}\n{silo.Output}\n{silo.Errors}");
        var line = Assert.Single(silo.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Http:Token", line, StringComparison.Ordinal);
        Assert.Contains("gateway", line, StringComparison.Ordinal);
        // It stopped before the host was built: neither the HTTP server nor Orleans said a word.
        Assert.DoesNotContain("Now listening", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Orleans", silo.Output, StringComparison.Ordinal);
    }

    /// <summary>excl with EXCL_TOKEN set to <paramref name="token"/> ("" for none; null leaves the variable unset).</summary>
    private static async Task<(int Code, string Out, string Err)> ExclAsync(string dir, string? token, params string[] args)
    {
        var environment = new Dictionary<string, string> { ["EXCL_TOKEN"] = token ?? "" };
        using var excl = Programs.Start(Programs.Excl, dir, args, environment);
        var code = await excl.WaitForExitAsync(Long);
        return (code, excl.Output, excl.Errors);
    }
}
