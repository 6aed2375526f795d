using System.Collections.Concurrent;
using ExperimentCluster.Contracts;
using ExperimentCluster.Contracts.Json;
using ExperimentCluster.Training;
using ExperimentCluster.Grains.Checkpoints;
using ExperimentCluster.Grains.Tests.Cluster;
using ExperimentCluster.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ExperimentCluster.Grains.Tests.Checkpoints;

/// <summary>Runs on real test clusters with their checkpoints in the SQLite file's checkpoint store.</summary>
public sealed class CheckpointClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private static string Sweep(string name, string training, string values, int seeds, string extra = "", int concurrency = 12) => $$"""
        {
          "name": "{{name}}",
          "training": {{training}},
          "seeds": {{seeds}},
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [{{values}}] } } },
          "concurrency": {{concurrency}}{{extra}}
        }
        """;

    [Fact]
    public async Task A_crash_between_the_checkpoint_put_and_the_pointer_write_resumes_from_the_old_checkpoint_bit_for_bit()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 3, configureSilo: (silo, path) =>
            silo.Services.AddSingleton<ICheckpointStore>(sp =>
                new CrashingCheckpointStore(new SqliteCheckpointStore(path), sp.GetRequiredService<ILocalSiloDetails>().Name)));
        var secondaries = test.Cluster.Silos.Skip(1).Select(s => s.Name).ToHashSet();
        var crashed = CrashingCheckpointStore.Arm(secondaries, minVersion: 3);
        var id = "crash-" + Guid.NewGuid().ToString("N")[..6];
        var training = """{ "dataset": "digits", "layers": [128, 128], "optimizer": "momentum", "batch_size": 16, "epochs": 12 }""";
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep("crash", training, "0.003, 0.01", seeds: 3))).Error);

        var (victim, orphan) = await crashed.WaitAsync(Long);
        var (_, number, _, version) = CheckpointKey.Parse(orphan);
        await test.Cluster.KillSiloAsync(test.Cluster.Silos.Single(s => s.Name == victim));
        CrashingCheckpointStore.Release();

        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);
        var detail = (await test.Grains.Run(id, number).GetDetailAsync(0))!;
        Assert.True(detail.Run.Resumes >= 1, $"run {number} should have continued from its checkpoint");
        // The epochs since the checkpoint the state pointed at are trained again, to the same numbers.
        SweepClusterTests.AssertSameTrajectory(SweepClusterTests.Uninterrupted(detail.SpecJson), detail.Metrics);
        await using var store = new SqliteCheckpointStore(test.DatabasePath);
        Assert.Null(await store.GetAsync(orphan));
        Assert.True(version >= 3);
    }

    /// <summary>
    /// A store command cancelled by the client (Redis drops the commands in flight when it goes away) is an outage: the
    /// run retries its write and goes on, to the same trajectory. Before, the run took it for its own cancellation and failed.
    /// </summary>
    [Fact]
    public async Task A_put_that_the_store_client_cancels_is_retried_and_the_run_completes_unchanged()
    {
        var tries = new ConcurrentDictionary<(string Call, string Sweep, int Run), int>();
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1,
            configureSilo: (silo, path) => silo.Services.AddSingleton<ICheckpointStore>(new DroppingCheckpointStore(new SqliteCheckpointStore(path), 2, tries)));
        var id = "dropped-" + Guid.NewGuid().ToString("N")[..6];
        var training = """{ "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 3 }""";
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep("dropped", training, "0.01, 0.1", seeds: 1, ", \"keep_checkpoints\": \"all\""))).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);

        Assert.Equal(SweepStatus.Completed, done.Status);
        foreach (var number in new[] { 0, 1 })
        {
            Assert.Equal(RunStatus.Completed, (await test.Grains.Run(id, number).GetState())!.Status);
            Assert.Equal(3, tries[("put", id, number)]);
            var detail = (await test.Grains.Run(id, number).GetDetailAsync(0))!;
            SweepClusterTests.AssertSameTrajectory(SweepClusterTests.Uninterrupted(detail.SpecJson), detail.Metrics);
        }
    }

    /// <summary>A run resumed on another silo after a kill reads its checkpoint through the same outage: the read is retried.</summary>
    [Fact]
    public async Task A_resumed_run_retries_a_checkpoint_read_that_the_store_client_cancels()
    {
        var tries = new ConcurrentDictionary<(string Call, string Sweep, int Run), int>();
        await using var test = await ExperimentTestCluster.StartAsync(silos: 2,
            configureSilo: (silo, path) => silo.Services.AddSingleton<ICheckpointStore>(new DroppingCheckpointStore(new SqliteCheckpointStore(path), 2, tries)));
        var id = "dropread-" + Guid.NewGuid().ToString("N")[..6];
        var training = """{ "dataset": "digits", "layers": [128, 128], "optimizer": "momentum", "batch_size": 16, "epochs": 30 }""";
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep("dropread", training, "0.003, 0.01", seeds: 2))).Error);

        // A run on the secondary silo with a stored epoch and checkpoint, and epochs still to train.
        var secondary = test.Cluster.Silos[1].SiloAddress.ToString();
        var victims = await ExperimentTestCluster.WaitForAsync(async () =>
        {
            var views = await Task.WhenAll(Enumerable.Range(0, 4).Select(n => test.Grains.Run(id, n).GetState()));
            var reported = await test.RunsWithStoredEpochsAsync(id);
            return views.Where(v => v is { Status: RunStatus.Running } && v.Epochs < 25 && v.Silo == secondary && reported.Contains(v.Number)).Select(v => v!.Number).ToList();
        }, v => v.Count > 0, Long, v => string.Join(",", v));
        await test.Cluster.KillSiloAsync(test.Cluster.Silos[1]);

        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);
        Assert.Equal(4, done.Count(RunStatus.Completed));
        foreach (var number in victims)
        {
            var detail = (await test.Grains.Run(id, number).GetDetailAsync(0))!;
            Assert.True(detail.Run.Resumes >= 1, $"run {number} should have continued from its checkpoint");
            Assert.Equal(3, tries[("get", id, number)]);
            SweepClusterTests.AssertSameTrajectory(SweepClusterTests.Uninterrupted(detail.SpecJson), detail.Metrics);
        }
    }

    [Theory]
    [InlineData("best")]
    [InlineData("none")]
    [InlineData("all")]
    public async Task Finished_runs_keep_their_checkpoints_as_keep_checkpoints_says(string keep)
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "keep-" + keep + "-" + Guid.NewGuid().ToString("N")[..6];
        var training = """{ "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 3 }""";
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep("keep", training, "0.001, 0.01, 0.1", seeds: 1, $", \"keep_checkpoints\": \"{keep}\""))).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);

        var results = (await test.Grains.Sweep(id).GetResultsAsync())!;
        int[] expected = keep switch
        {
            "best" => [ExperimentCluster.Tuning.Aggregation.CheckpointOrder(Summaries(results))[0].Number],
            "none" => [],
            _ => [0, 1, 2],
        };
        // Drops are sent to the runs as they finish, not awaited by the sweep.
        var held = await ExperimentTestCluster.WaitForAsync(() => Task.FromResult(RunsWithCheckpoints(test.DatabasePath, id)),
            runs => runs.SequenceEqual(expected), TimeSpan.FromMinutes(1), runs => string.Join(",", runs));
        Assert.Equal(expected, held);

        // What a user takes away: a kept run's network after its last epoch, named by its run and values; a run that
        // kept nothing says why.
        foreach (var run in results.Leaderboard)
        {
            var model = (await test.Grains.Run(id, run.Number).GetModelAsync())!;
            if (!expected.Contains(run.Number))
            {
                Assert.Equal(RunModelKind.None, model.Kind);
                Assert.StartsWith($"run {run.Number} kept no checkpoint: a finished run keeps its checkpoint only as the sweep's keep_checkpoints says", model.Problem, StringComparison.Ordinal);
                continue;
            }
            Assert.Equal(RunModelKind.Network, model.Kind);
            Assert.Equal(3, model.Epoch);
            var network = ExclJson.Read<TrainedModel>(System.Text.Encoding.UTF8.GetString(model.Content))!;
            Assert.Equal((id, run.Number, 3), (network.Sweep, network.Run, network.Epoch));
            Assert.Equal(run.Config, network.Config);
            Assert.Equal([(4, 8), (8, 3)], network.Layers.Select(l => (l.Weights.Length, l.Biases.Length)));
        }
        Assert.Null(await test.Grains.Run(id, 3).GetModelAsync());
    }

    /// <summary>
    /// A run stores its final checkpoint only if the sweep would keep it: under best, only a run that is the best so far
    /// when it finishes (runs one at a time here, in the grid's order); under none, no run; under all, every run. With a
    /// checkpoint interval of an hour, the last epoch's checkpoint is a run's only one, so a run's puts are 0 or 1.
    /// </summary>
    [Theory]
    [InlineData("best")]
    [InlineData("none")]
    [InlineData("all")]
    public async Task A_run_stores_its_final_checkpoint_only_if_the_sweep_would_keep_it(string keep)
    {
        var puts = new System.Collections.Concurrent.ConcurrentQueue<(string Sweep, int Run, long Version)>();
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1, configure: o => o.CheckpointInterval = TimeSpan.FromHours(1),
            configureSilo: (silo, path) => silo.Services.AddSingleton<ICheckpointStore>(new CountingCheckpointStore(new SqliteCheckpointStore(path), puts)));
        var id = "final-" + keep + "-" + Guid.NewGuid().ToString("N")[..6];
        var training = """{ "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 3 }""";
        var sweep = Sweep("final", training, "0.1, 0.001, 0.3, 0.01, 0.03", seeds: 1, $", \"keep_checkpoints\": \"{keep}\"", concurrency: 1);
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);

        var runs = Summaries((await test.Grains.Sweep(id).GetResultsAsync())!);
        Assert.Equal(5, runs.Count);
        var bestSoFar = runs.Where(r => ExperimentCluster.Tuning.Aggregation.CheckpointOrder(runs.Take(r.Number + 1))[0].Number == r.Number).Select(r => r.Number);
        int[] expected = keep switch
        {
            "best" => [.. bestSoFar],
            "none" => [],
            _ => [0, 1, 2, 3, 4],
        };
        var stored = puts.Where(p => p.Sweep == id).Select(p => p.Run).Order().ToArray();
        output.WriteLine($"keep_checkpoints {keep}: final checkpoints stored by runs [{string.Join(", ", stored)}] of 5");
        Assert.Equal(expected, stored);
        if (keep == "best")
            Assert.True(stored.Length < 5, "every run was the best so far: the grid's order should make some not");

        // A run's view names the epoch of the checkpoint it holds once the drops are done: 3 (its last) or 0 (none).
        var holders = keep switch
        {
            "best" => [ExperimentCluster.Tuning.Aggregation.CheckpointOrder(runs)[0].Number],
            "none" => [],
            _ => expected,
        };
        var held = Enumerable.Range(0, 5).Select(n => holders.Contains(n) ? 3 : 0).ToArray();
        var epochs = await ExperimentTestCluster.WaitForAsync(
            async () => (await Task.WhenAll(Enumerable.Range(0, 5).Select(n => test.Grains.Run(id, n).GetState()))).Select(v => v!.CheckpointEpoch).ToArray(),
            e => e.SequenceEqual(held), TimeSpan.FromMinutes(1), e => string.Join(",", e));
        Assert.Equal(held, epochs);
    }

    /// <summary>The results' runs as the aggregates take them, in run order.</summary>
    private static List<ExperimentCluster.Tuning.RunSummary> Summaries(SweepResults results) =>
        results.Leaderboard.OrderBy(r => r.Number)
            .Select(r => r.Summary())
            .ToList();

    /// <summary>
    /// The figures of the storage change for a 64-512-512-10 run (digits): the bytes a run writes per epoch are its
    /// checkpoint once plus a state that no longer carries it; before, each epoch rewrote the state with the checkpoint in it.
    /// </summary>
    [Fact]
    public async Task A_wide_runs_state_holds_no_checkpoint_bytes_and_its_store_holds_one_checkpoint()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "wide-" + Guid.NewGuid().ToString("N")[..6];
        var training = """{ "dataset": "digits", "layers": [512, 512], "optimizer": "momentum", "batch_size": 64, "epochs": 5 }""";
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep("wide", training, "0.01", seeds: 1, ", \"keep_checkpoints\": \"all\""))).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);

        await using var connection = new SqliteConnection($"Data Source={test.DatabasePath};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        var state = await ScalarAsync(connection, "SELECT length(payload) FROM grain_state WHERE state_name = 'run'");
        var checkpoint = await ScalarAsync(connection, $"SELECT length(bytes) FROM checkpoints WHERE sweep_id = '{id}'");
        var count = await ScalarAsync(connection, $"SELECT count(*) FROM checkpoints WHERE sweep_id = '{id}'");
        // Before: the state held the checkpoint as base64 and was rewritten whole every epoch.
        var before = state + (checkpoint + 2) / 3 * 4;
        output.WriteLine($"64-512-512-10, 5 epochs: run state {state} B, checkpoint {checkpoint} B; per epoch now {state + checkpoint} B (state + checkpoint once), before {before} B (state with the checkpoint inline)");
        Assert.Equal(1, count);
        Assert.True(checkpoint > 1_000_000, $"checkpoint {checkpoint} B");
        Assert.True(state < checkpoint / 100, $"the run's state is {state} B beside a {checkpoint} B checkpoint: it still carries bytes");
    }

    private static int[] RunsWithCheckpoints(string databasePath, string sweepId)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT run FROM checkpoints WHERE sweep_id = $sweep ORDER BY run";
        command.Parameters.AddWithValue("$sweep", sweepId);
        using var reader = command.ExecuteReader();
        var runs = new List<int>();
        while (reader.Read())
            runs.Add(reader.GetInt32(0));
        return [.. runs];
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
