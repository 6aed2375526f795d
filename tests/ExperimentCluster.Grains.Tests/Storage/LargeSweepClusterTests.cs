using System.Diagnostics;
using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Tests.Cluster;
using Microsoft.Data.Sqlite;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace ExperimentCluster.Grains.Tests.Storage;

/// <summary>
/// A sweep of 100,000 tiny runs in embedded mode (one silo over a real SQLite file). What the coordinator stores stays
/// bounded however many runs it has: its own state and each bucket of run summaries are small rows, and a new activation
/// reads all 100,000 runs back. The flush times and the throughput are printed; the goal on them (the flush at the end
/// within 2x of the flush at 1,000 runs) is the `sweep` benchmark's, not this test's.
/// </summary>
public sealed class LargeSweepClusterTests(ITestOutputHelper output)
{
    private const int Runs = 100_000;

    [Fact]
    public async Task A_sweep_of_100000_tiny_runs_completes_with_its_stored_rows_bounded_and_reads_back_whole()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        using var flushes = new CoordinatorFlushes();
        var id = "large-" + Guid.NewGuid().ToString("N")[..6];
        var sweep = $$"""
            { "name": "large", "training": { "dataset": "iris", "layers": [], "batch_size": 120, "epochs": 1 },
              "search": { "strategy": "random", "trials": {{Runs}}, "space": { "learning_rate": { "log_uniform": [0.0001, 1] } } },
              "concurrency": 64 }
            """;
        var watch = Stopwatch.StartNew();
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        var done = await ExperimentTestCluster.WaitForAsync(() => test.Grains.Sweep(id).GetState(), v => v!.Status != SweepStatus.Running,
            TimeSpan.FromMinutes(15), v => $"{v!.FinishedRuns} of {Runs} finished");
        var wall = watch.Elapsed;

        Assert.Equal(SweepStatus.Completed, done!.Status);
        Assert.Equal(Runs, done.Count(RunStatus.Completed));
        output.WriteLine($"{Runs:N0} tiny runs in {wall.TotalSeconds:0.0} s = {Runs / wall.TotalSeconds:0} runs/s; peak working set of the test process {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB");
        foreach (var line in flushes.Report(Runs))
            output.WriteLine(line);

        // What is stored: the sweep's own state does not hold the runs, and no bucket holds more than its 256 runs.
        var (sweepBytes, buckets, largestBucket) = StoredSizes(test.DatabasePath, id);
        output.WriteLine($"stored: sweep state {sweepBytes:N0} bytes; {buckets} buckets of run summaries, the largest {largestBucket:N0} bytes");
        Assert.Equal((Runs + SweepRunBuckets.Size - 1) / SweepRunBuckets.Size, buckets);
        Assert.True(sweepBytes < 16_384, $"the sweep's state is {sweepBytes} bytes: it holds the runs again");
        Assert.True(largestBucket < 256 * 1024, $"a bucket of {SweepRunBuckets.Size} runs is {largestBucket} bytes");

        // A new activation reads every run back from the buckets.
        await test.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var again = (await test.Grains.Sweep(id).GetState())!;
        Assert.Equal((SweepStatus.Completed, Runs, (long)Runs), (again.Status, again.Count(RunStatus.Completed), again.EpochsReported));
        Assert.Equal(done.BestRun, again.BestRun);
    }

    private static (long SweepBytes, int Buckets, long LargestBucket) StoredSizes(string databasePath, string id)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT length(payload) FROM grain_state WHERE grain_id = $sweep AND state_name = 'sweep'),
                   (SELECT count(*) FROM grain_state WHERE grain_id LIKE $buckets AND payload IS NOT NULL),
                   (SELECT max(length(payload)) FROM grain_state WHERE grain_id LIKE $buckets)
            """;
        command.Parameters.AddWithValue("$sweep", "sweep/" + id);
        command.Parameters.AddWithValue("$buckets", "sweepruns/" + id + "/%");
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2));
    }
}
