using System.Diagnostics;
using System.Globalization;
using ExperimentCluster.Contracts;
using ExperimentCluster.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl bench sweep`: the coordinator's overhead and the silo's utilisation, end to end in an embedded silo with
/// state persisted to SQLite. (1) tiny runs: a run is a single step of a linear model on iris, so the figure is the
/// cluster's own cost per run; (2) equal CPU-bound runs on digits: busy slot-seconds over available slot-seconds;
/// (3) 100 concurrent digits runs: the process's peak memory.
/// </summary>
public static class SweepBenchmark
{
    public static async Task<int> RunAsync(string[] words)
    {
        var args = CliArgs.Parse(words, new HashSet<string>(StringComparer.Ordinal));
        var tiny = args.Int("runs", 2000);
        var concurrency = args.Int("concurrency", 64);
        var cpuRuns = args.Int("cpu-runs", 8);
        var dataDir = args.String("data-dir") ?? Path.Combine(Path.GetTempPath(), "excl-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var passthrough = new List<string> { "--data-dir", dataDir };
        if (args.String("slots") is { } slotCount)
            passthrough.AddRange(["--slots", slotCount]);
        args.RejectUnknown();

        var connectionArgs = CliArgs.Parse(passthrough, new HashSet<string>());
        await using var connection = await Connection.OpenAsync(connectionArgs, trains: true, CancellationToken.None);
        var slots = connection.Services.GetRequiredService<TrainingSlots>();

        // Warm-up: JIT, data set loading, SQLite file creation.
        await RunSweepAsync(connection, "warmup", TinySweep(20, 8));

        var wall = await RunSweepAsync(connection, "tiny", TinySweep(tiny, concurrency));
        Console.WriteLine($"tiny runs: {tiny} runs in {wall.TotalSeconds:0.00} s = {tiny / wall.TotalSeconds:0} runs/s end to end (persisted, concurrency {concurrency})");
        Console.WriteLine($"peak working set so far: {Environment.WorkingSet / 1048576.0:0} MiB now, {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB peak");

        var busyBefore = slots.BusySeconds;
        var cpuWall = await RunSweepAsync(connection, "cpu", CpuSweep(cpuRuns, cpuRuns));
        var busy = slots.BusySeconds - busyBefore;
        Console.WriteLine($"cpu-bound runs: {cpuRuns} runs, {slots.Capacity} slots, {cpuWall.TotalSeconds:0.00} s wall; busy slot-seconds {busy:0.00} of {cpuWall.TotalSeconds * slots.Capacity:0.00} available = {busy / (cpuWall.TotalSeconds * slots.Capacity):P1} utilisation");

        await RunSweepAsync(connection, "hundred", CpuSweep(100, 100, epochs: 2));
        Console.WriteLine($"after 100 concurrent digits runs: peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB");
        return 0;
    }

    private static async Task<TimeSpan> RunSweepAsync(Connection connection, string id, string json)
    {
        var watch = Stopwatch.StartNew();
        var submitted = await connection.Grains.Sweep(id).SubmitAsync(json);
        if (submitted.Error is not null)
            throw new CliException(submitted.Error);
        while ((await connection.Grains.Sweep(id).GetState())!.Status == SweepStatus.Running)
            await Task.Delay(5);
        return watch.Elapsed;
    }

    private static string TinySweep(int runs, int concurrency) => $$"""
        { "name": "tiny", "training": { "dataset": "iris", "layers": [], "batch_size": 120, "epochs": 1 },
          "search": { "strategy": "random", "trials": {{runs}}, "space": { "learning_rate": { "log_uniform": [0.0001, 1] } } },
          "concurrency": {{concurrency}} }
        """;

    private static string CpuSweep(int runs, int concurrency, int epochs = 20) => $$"""
        { "name": "cpu", "training": { "dataset": "digits", "layers": [512, 512], "batch_size": 32, "epochs": {{epochs}} },
          "search": { "strategy": "random", "trials": {{runs}}, "space": { "learning_rate": { "log_uniform": [0.001, 0.1] } } },
          "concurrency": {{concurrency}} }
        """.Replace("\n", " ", StringComparison.Ordinal).ToString(CultureInfo.InvariantCulture);
}
