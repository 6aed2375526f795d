using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests;

public sealed class SiloProcessTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_silo_process_serves_health_and_the_dashboard_and_runs_a_sweep_submitted_through_its_gateway()
    {
        var dir = Programs.TempFolder();
        var (process, client, gatewayArg) = await StartSiloAsync(dir);
        using var _ = process;
        using var __ = client;
        var dashboard = await client.GetAsync("/dashboard/");
        Assert.True(dashboard.IsSuccessStatusCode, $"dashboard answered {dashboard.StatusCode}");

        var submit = await Programs.ExclAsync(dir, Long, "submit", "--example", "quick", "--id", "remote", "--gateway", gatewayArg);
        Assert.True(submit.Code == 0, $"submit exit {submit.Code}\n{submit.Out}\n{submit.Err}");
        Assert.Equal("remote", submit.Out.Trim());

        var watch = await Programs.ExclAsync(dir, Long, "watch", "remote", "--gateway", gatewayArg, "--json");
        Assert.True(watch.Code == 0, $"watch exit {watch.Code}\n{watch.Out}\n{watch.Err}");
        var summary = JsonNode.Parse(Programs.LastLine(watch.Out))!;
        Assert.Equal("completed", (string?)summary["status"]);
        Assert.Equal(6, (int)summary["runs"]!);
        // Started from a folder of its own, the silo still reads the appsettings.json built next to it: Orleans and
        // Polly log warnings only (without it, two Polly lines for every grain placement).
        Assert.DoesNotContain("info: Polly", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("info: Orleans", process.Output, StringComparison.Ordinal);

        var api = JsonNode.Parse(await client.GetStringAsync("/api/sweeps/remote"))!;
        Assert.Equal(6, api["leaderboard"]!.AsArray().Count);
        var list = await Programs.ExclAsync(dir, Long, "list", "--gateway", gatewayArg, "--json");
        Assert.Contains("\"sweep_id\":\"remote\"", list.Out, StringComparison.Ordinal);

        var show = await Programs.ExclAsync(dir, Long, "show", "remote", "--gateway", gatewayArg);
        Assert.True(show.Code == 0, show.Err);
        Assert.Contains("Leaderboard", show.Out, StringComparison.Ordinal);
        Assert.Contains("Per value", show.Out, StringComparison.Ordinal);
        // The answer's next step, with the cluster this command reached (the answer's own names the default data folder).
        Assert.Contains($"next, on this cluster: excl refine remote --gateway {gatewayArg} --run", show.Out, StringComparison.Ordinal);
        Assert.Single(show.Out.Split('\n'), l => l.Contains("excl refine", StringComparison.Ordinal)); // not the answer's own too

        var csvFile = Path.Combine(dir, "remote.csv");
        var export = await Programs.ExclAsync(dir, Long, "export", "remote", "--format", "csv", "--out", csvFile, "--gateway", gatewayArg);
        Assert.True(export.Code == 0, export.Err);
        var rows = await File.ReadAllLinesAsync(csvFile);
        var header = rows[0].Split(',');
        Assert.Equal(["sweep", "run", "status"], header[..3]);
        Assert.Equal(header.Length, header.Distinct().Count());
        Assert.Equal(6 * 10, rows.Length - 1); // quick: six runs of ten epochs, none diverges
        Assert.All(rows.Skip(1), r => Assert.Equal(header.Length, Fields(r)));

        // A long sweep cancelled from the command line: its runs stop with what they trained, and it says cancelled.
        var longSweep = Path.Combine(dir, "long.json");
        await File.WriteAllTextAsync(longSweep, """
            { "name": "long", "training": { "dataset": "digits", "layers": [256, 256], "epochs": 2000 },
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01, 0.02] } } }, "concurrency": 2 }
            """);
        Assert.Equal(0, (await Programs.ExclAsync(dir, Long, "submit", longSweep, "--id", "long", "--gateway", gatewayArg)).Code);
        var deadlineForEpochs = DateTime.UtcNow + Long;
        while ((long)JsonNode.Parse(await client.GetStringAsync("/api/sweeps/long"))!["sweep"]!["epochs_reported"]! < 2)
        {
            Assert.True(DateTime.UtcNow < deadlineForEpochs, "the long sweep never reported two epochs");
            await Task.Delay(Programs.PollInterval);
        }
        var cancel = await Programs.ExclAsync(dir, Long, "cancel", "long", "--gateway", gatewayArg);
        Assert.True(cancel.Code == 0, cancel.Err);
        var cancelled = await Programs.ExclAsync(dir, Long, "watch", "long", "--gateway", gatewayArg, "--json");
        var last = JsonNode.Parse(Programs.LastLine(cancelled.Out))!;
        Assert.Equal("cancelled", (string?)last["status"]);
        var kept = JsonNode.Parse((await Programs.ExclAsync(dir, Long, "export", "long", "--gateway", gatewayArg)).Out)!["runs"]!.AsArray();
        Assert.All(kept, r => Assert.Equal("cancelled", (string?)r!["status"]));
        Assert.All(kept, r => Assert.InRange(r!["epochs"]!.AsArray().Count, 1, 1999));
    }

    [Fact]
    public async Task A_silo_on_a_data_folder_holds_it_as_excl_run_does_and_excl_commands_on_the_folder_go_through_it()
    {
        var dir = Programs.TempFolder();
        var state = Path.Combine(dir, "state");
        var (process, client, gatewayArg) = await StartSiloAsync(dir);
        using (process)
        using (client)
        {
            // A second trainer on the folder is refused, an excl run as a second silo: each would resume the folder's runs
            // and train them into the same file.
            var run = await Programs.ExclAsync(dir, Long, "run", "--example", "quick", "--data-dir", state);
            Assert.Equal(2, run.Code);
            Assert.Contains("--data-dir: another process (an excl run or resume, or a silo) is training in", run.Err, StringComparison.Ordinal);
            var environment = new Dictionary<string, string>
            {
                ["Urls"] = $"http://127.0.0.1:{Programs.FreePort()}",
                ["Cluster__DataDir"] = state,
                ["Cluster__SiloPort"] = Programs.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Cluster__GatewayPort"] = Programs.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            using var second = Programs.Start(Programs.Silo, dir, [], environment);
            Assert.Equal(2, await second.WaitForExitAsync(Long));
            Assert.Contains("silo: Cluster:DataDir: another process (an excl run or resume, or a silo) is training in", second.Errors, StringComparison.Ordinal);

            // The folder's excl commands reach the silo's sweeps live, through its gateway.
            Assert.Equal(0, (await Programs.ExclAsync(dir, Long, "submit", "--example", "quick", "--id", "held", "--gateway", gatewayArg)).Code);
            var watch = await Programs.ExclAsync(dir, Long, "watch", "held", "--data-dir", state, "--json");
            Assert.True(watch.Code == 0, $"watch exit {watch.Code}\n{watch.Out}\n{watch.Err}");
            Assert.Equal("completed", (string?)JsonNode.Parse(Programs.LastLine(watch.Out))!["status"]);
            Assert.True(File.Exists(Path.Combine(state, "gateway")));
            process.Terminate();
            Assert.Equal(0, await process.WaitForExitAsync(Long));
        }

        // Stopped, the silo has let go: the note is gone and the folder opens as any data folder.
        Assert.False(File.Exists(Path.Combine(state, "gateway")));
        var list = await Programs.ExclAsync(dir, Long, "list", "--data-dir", state, "--json");
        Assert.True(list.Code == 0, list.Err);
        Assert.Contains("\"sweep_id\":\"held\"", list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sweep_whose_csv_only_the_silo_can_read_is_accepted_and_trains_and_a_missing_column_still_fails_the_submission()
    {
        // The silo runs in its own folder, where data/flowers.csv is; the client runs elsewhere and cannot read that path.
        var siloDir = Programs.TempFolder();
        var clientDir = Programs.TempFolder();
        Directory.CreateDirectory(Path.Combine(siloDir, "data"));
        var iris = await File.ReadAllLinesAsync(Path.Combine(Programs.RepositoryRoot, "src", "ExperimentCluster.Training", "Data", "iris.csv"));
        await File.WriteAllLinesAsync(Path.Combine(siloDir, "data", "flowers.csv"), iris);
        Assert.False(File.Exists(Path.Combine(clientDir, "data", "flowers.csv")));
        // A relative root is relative to the silo's working folder, as a relative data set path is.
        var (process, client, gateway) = await StartSiloAsync(siloDir, new() { ["Experiments__DataRoots__0"] = "data" });
        using var _ = process;
        using var __ = client;

        var sweep = Path.Combine(clientDir, "flowers.json");
        await File.WriteAllTextAsync(sweep, """
            { "name": "flowers", "training": { "dataset": "data/flowers.csv", "layers": [8], "batch_size": 16, "epochs": 3 },
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01, 0.1] } } } }
            """);
        var submit = await Programs.ExclAsync(clientDir, Long, "submit", sweep, "--id", "flowers", "--gateway", gateway);
        Assert.True(submit.Code == 0, $"submit exit {submit.Code}\n{submit.Out}\n{submit.Err}");
        var watch = await Programs.ExclAsync(clientDir, Long, "watch", "flowers", "--gateway", gateway, "--json");
        var summary = JsonNode.Parse(Programs.LastLine(watch.Out))!;
        Assert.Equal("completed", (string?)summary["status"]);
        Assert.Equal(2, (int)summary["runs"]!);

        var noColumn = Path.Combine(clientDir, "no-column.json");
        await File.WriteAllTextAsync(noColumn, """
            { "name": "no-column", "training": { "dataset": "data/flowers.csv", "target": "petal_colour", "epochs": 3 },
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01, 0.1] } } } }
            """);
        var refused = await Programs.ExclAsync(clientDir, Long, "submit", noColumn, "--id", "no-column", "--gateway", gateway);
        Assert.Equal(2, refused.Code);
        Assert.Contains("training.target", refused.Err, StringComparison.Ordinal);
        Assert.Contains("petal_colour", refused.Err, StringComparison.Ordinal);
        Assert.Single(refused.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var list = await Programs.ExclAsync(clientDir, Long, "list", "--gateway", gateway, "--json");
        Assert.DoesNotContain("no-column", list.Out, StringComparison.Ordinal);
    }

    /// <summary>
    /// A silo process in <paramref name="dir"/> (its working folder and data), once it answers /health; <paramref name="extra"/>
    /// adds to its environment (Http__Token, for one).
    /// </summary>
    internal static async Task<(RunningProgram Process, HttpClient Client, string Gateway)> StartSiloAsync(string dir, Dictionary<string, string>? extra = null)
    {
        int http = Programs.FreePort(), silo = Programs.FreePort(), gateway = Programs.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{http}",
            ["Cluster__DataDir"] = Path.Combine(dir, "state"),
            ["Cluster__SiloPort"] = silo.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            environment[key] = value;
        var process = Programs.Start(Programs.Silo, dir, [], environment);
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        var deadline = DateTime.UtcNow + Long;
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode)
                    return (process, client, $"127.0.0.1:{gateway}");
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(Programs.PollInterval);
            }
        }
    }

    /// <summary>The fields of one CSV line: commas inside a quoted field (a layers value such as "[16,16]") do not count.</summary>
    private static int Fields(string line)
    {
        var (count, quoted) = (1, false);
        foreach (var c in line)
        {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
                count++;
        }
        return count;
    }
}
