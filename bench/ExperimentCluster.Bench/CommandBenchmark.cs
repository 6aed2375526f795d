using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ExperimentCluster.Cli;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Bench;

/// <summary>
/// `commands`: the cost of running trials as processes, in an embedded silo with SQLite. (1) start-up: from a trial's
/// process being started to its first report, for a trivial Python script (median and 95th percentile); (2) reports per
/// second one silo accepts from trials that print as fast as they can, every report counted; (3) overhead: trials that
/// each take one second, against their ideal wall time (trials x 1 s / slots).
/// </summary>
public static class CommandBenchmark
{
    public static Command Create()
    {
        var startups = CliOptions.Int("--startups", 40, "trivial trials, one after another: start-up latency (0 skips)");
        var floods = CliOptions.Int("--flood-trials", 2, "trials printing reports as fast as they can, at once (0 skips)");
        var reports = CliOptions.Int("--flood-reports", 50_000, "reports each flooding trial prints");
        var seconds = CliOptions.Int("--second-trials", 200, "one-second trials: overhead against trials x 1 s / slots (0 skips)");
        var slots = CliOptions.Int("--slots", 2, "the embedded silo's training slots");
        var command = new Command("commands", "command trials in an embedded silo: start-up latency, reports per second, overhead of one-second trials")
        {
            startups, floods, reports, seconds, slots,
        };
        command.SetAction(parse => RunAsync(parse.GetValue(startups), parse.GetValue(floods), parse.GetValue(reports), parse.GetValue(seconds), parse.GetValue(slots)));
        return command;
    }

    private static async Task<int> RunAsync(int startups, int floods, int reports, int seconds, int slots)
    {
        var folder = Path.Combine(Path.GetTempPath(), "excl-bench-commands-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var settings = new ConnectionSettings { DataDir = Path.Combine(folder, "data"), Slots = slots };
        await using var connection = await Connection.OpenAsync(settings, trains: true, CancellationToken.None);
        var first = Script(folder, "first.py", "import json\nprint(json.dumps({'epoch': 1, 'val_loss': 1.0}), flush=True)\n");
        // A trial of one second of its own: sh starts in about a millisecond, where python3 takes a third of a second here.
        string[] second = ["sh", "-c", "sleep 1; echo '{{\"epoch\": 1, \"val_loss\": 1}}'"];
        string[] shFirst = ["sh", "-c", "echo '{{\"epoch\": 1, \"val_loss\": 1}}'"];

        await SweepBenchmark.RunSweepAsync(connection, "warmup", Sweep(["python3", first], 1, trials: 4, concurrency: 2));

        if (startups > 0)
        {
            await StartupAsync(connection, "startup-python", "trivial python3 trials", ["python3", first], startups);
            await StartupAsync(connection, "startup-sh", "trivial sh trials", shFirst, startups);
        }

        if (floods > 0)
        {
            // awk prints faster than any training loop, and costs the silo's cores little.
            var awk = $"BEGIN {{ for (i = 1; i <= {reports}; i++) printf \"{{\\\"epoch\\\": %d, \\\"val_loss\\\": %.6f}}\\n\", i, 1 / i }}";
            var escaped = awk.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
            var wall = await SweepBenchmark.RunSweepAsync(connection, "flood", Sweep(["awk", escaped], reports, floods, floods));
            long counted = 0;
            for (var n = 0; n < floods; n++)
                counted += (await connection.Grains.Run("flood", n).GetState())!.Epochs;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"reports: {floods} trials x {reports} reports printed as fast as they can: {counted} of {floods * (long)reports} counted in {wall.TotalSeconds:0.00} s = {counted / wall.TotalSeconds:0} reports/s"));
        }

        if (seconds > 0)
        {
            var wall = await SweepBenchmark.RunSweepAsync(connection, "seconds", Sweep(second, 1, seconds, slots));
            var ideal = seconds * 1.0 / slots;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"overhead: {seconds} one-second trials on {slots} slots: {wall.TotalSeconds:0.00} s wall against {ideal:0.00} s ideal = {(wall.TotalSeconds / ideal - 1) * 100:+0.0;-0.0} %"));
        }
        return 0;
    }

    /// <summary>Trials one after another: from each one's process start to its first report, as the silo measured it.</summary>
    private static async Task StartupAsync(Connection connection, string id, string what, string[] run, int trials)
    {
        await SweepBenchmark.RunSweepAsync(connection, id, Sweep(run, 1, trials, concurrency: 1));
        var latencies = new List<double>();
        for (var n = 0; n < trials; n++)
            latencies.Add((await connection.Grains.Run(id, n).GetDetailAsync(0))!.Metrics[0].Seconds * 1000);
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"start-up: {trials} {what}, process start to first report: median {Percentile(latencies, 0.5):0.0} ms, p95 {Percentile(latencies, 0.95):0.0} ms"));
    }

    private static string Script(string folder, string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Sweep(string[] run, int epochs, int trials, int concurrency) => new JsonObject
    {
        ["name"] = "commands",
        ["command"] = new JsonObject { ["run"] = new JsonArray(run.Select(a => (JsonNode?)a).ToArray()), ["epochs"] = epochs },
        ["search"] = new JsonObject
        {
            ["strategy"] = "random",
            ["trials"] = trials,
            ["space"] = new JsonObject { ["x"] = new JsonObject { ["uniform"] = new JsonArray(0, 1) } },
        },
        ["concurrency"] = concurrency,
    }.ToJsonString();

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
