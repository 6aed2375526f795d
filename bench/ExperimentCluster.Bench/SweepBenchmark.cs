using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ExperimentCluster.Cli;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Contracts;
using ExperimentCluster.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace ExperimentCluster.Bench;

/// <summary>
/// `sweep`: the coordinator's overhead and the silo's utilisation, end to end in an embedded silo with
/// state persisted to SQLite. (1) tiny runs: a run is a single step of a linear model on iris, so the figure is the
/// cluster's own cost per run; (2) equal CPU-bound runs on digits: busy slot-seconds over available slot-seconds;
/// (3) 100 concurrent digits runs: the process's peak memory. Each part's run count may be 0 to skip it.
/// </summary>
public static class SweepBenchmark
{
    public static Command Create()
    {
        var tiny = CliOptions.Int("--runs", 2000, "tiny runs, one step each: the coordinator's cost per run (0 skips)");
        var concurrency = CliOptions.Int("--concurrency", 64, "tiny runs training at once");
        var cpuRuns = CliOptions.Int("--cpu-runs", 8, "CPU-bound digits runs, all at once: slot utilisation (0 skips)");
        var memoryRuns = CliOptions.Int("--memory-runs", 100, "concurrent digits runs of two epochs: peak memory (0 skips)");
        var dataDir = CliOptions.Text("--data-dir", "the embedded silo's data folder", "a new temporary folder", "dir");
        var slots = CliOptions.Int("--slots", "the embedded silo's training slots", "the number of cores");
        var command = new Command("sweep", "an embedded silo with SQLite: runs per second, training-slot utilisation, peak memory")
        {
            tiny, concurrency, cpuRuns, memoryRuns, dataDir, slots,
        };
        command.SetAction(parse => RunAsync(parse.GetValue(tiny), parse.GetValue(concurrency), parse.GetValue(cpuRuns), parse.GetValue(memoryRuns),
            new ConnectionSettings
            {
                DataDir = parse.GetValue(dataDir) ?? Path.Combine(Path.GetTempPath(), "excl-bench-" + Guid.NewGuid().ToString("N")[..8]),
                Slots = parse.GetValue(slots),
            }));
        return command;
    }

    private static async Task<int> RunAsync(int tiny, int concurrency, int cpuRuns, int memoryRuns, ConnectionSettings settings)
    {
        // A part with no runs is skipped, rather than submitted as a sweep of zero trials (which a sweep refuses).
        if (tiny < 0) throw new CliException("--runs: must be 0 or more");
        if (concurrency < 1) throw new CliException("--concurrency: must be at least 1");
        if (cpuRuns < 0) throw new CliException("--cpu-runs: must be 0 or more");
        if (memoryRuns < 0) throw new CliException("--memory-runs: must be 0 or more");
        await using var connection = await Connection.OpenAsync(settings, trains: true, CancellationToken.None);
        var slots = connection.Services.GetRequiredService<TrainingSlots>();

        // Warm-up: JIT, data set loading, SQLite file creation.
        await RunSweepAsync(connection, "warmup", TinySweep(20, 8));

        if (tiny > 0)
        {
            using var flushes = new CoordinatorFlushes();
            var wall = await RunSweepAsync(connection, "tiny", TinySweep(tiny, concurrency));
            Console.WriteLine($"tiny runs: {tiny} runs in {wall.TotalSeconds:0.00} s = {tiny / wall.TotalSeconds:0} runs/s end to end (persisted, concurrency {concurrency})");
            Console.WriteLine($"peak working set so far: {Environment.WorkingSet / 1048576.0:0} MiB now, {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB peak");
            if (tiny >= 10_000)
            {
                foreach (var line in flushes.Report(tiny))
                    Console.WriteLine(line);
            }
        }

        if (cpuRuns > 0)
        {
            var busyBefore = slots.BusySeconds;
            var cpuWall = await RunSweepAsync(connection, "cpu", CpuSweep(cpuRuns, cpuRuns));
            var busy = slots.BusySeconds - busyBefore;
            Console.WriteLine($"cpu-bound runs: {cpuRuns} runs, {slots.Capacity} slots, {cpuWall.TotalSeconds:0.00} s wall; busy slot-seconds {busy:0.00} of {cpuWall.TotalSeconds * slots.Capacity:0.00} available = {busy / (cpuWall.TotalSeconds * slots.Capacity):P1} utilisation");
        }

        if (memoryRuns > 0)
        {
            await RunSweepAsync(connection, "memory", CpuSweep(memoryRuns, memoryRuns, epochs: 2));
            Console.WriteLine($"after {memoryRuns} concurrent digits runs: peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB");
        }
        return 0;
    }

    /// <summary>Submits a sweep and waits until it is no longer running: its wall time end to end.</summary>
    internal static async Task<TimeSpan> RunSweepAsync(Connection connection, string id, string json)
    {
        var watch = Stopwatch.StartNew();
        var submitted = await connection.Grains.Sweep(id).SubmitAsync(json);
        if (submitted.Error is not null)
            throw new CliException(submitted.Error);
        while ((await connection.Grains.Sweep(id).GetState())!.Status == SweepStatus.Running)
            await Task.Delay(50);
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
