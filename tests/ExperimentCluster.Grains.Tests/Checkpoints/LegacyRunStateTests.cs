using System.Text.Json.Nodes;
using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Checkpoints;
using ExperimentCluster.Grains.Tests.Cluster;
using Microsoft.Data.Sqlite;

namespace ExperimentCluster.Grains.Tests.Checkpoints;

/// <summary>Run states stored before the checkpoint and trajectory stores (schema version 1: both inline) still load and resume.</summary>
public sealed class LegacyRunStateTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_paused_run_stored_with_its_checkpoint_and_trajectory_inline_resumes_bit_for_bit_and_moves_both_to_the_stores()
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"excl-test-{Guid.NewGuid():N}", "experiments.db");
        var id = "legacy-" + Guid.NewGuid().ToString("N")[..6];
        var sweep = $$"""
            {
              "training": { "dataset": "digits", "layers": [128, 128], "optimizer": "momentum", "batch_size": 16, "epochs": 40 },
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.003, 0.01] } } },
              "concurrency": 2, "keep_checkpoints": "all"
            }
            """;
        await using (var test = await ExperimentTestCluster.StartAsync(silos: 1, databasePath))
        {
            Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
            await ExperimentTestCluster.WaitForAsync(() => RunsAsync(test, id), v => v.All(r => r is { Epochs: >= 2 }), Long);
            Assert.Null((await test.Grains.Sweep(id).PauseAsync()).Error);
            await ExperimentTestCluster.WaitForAsync(() => RunsAsync(test, id), v => v.All(r => r is { Status: RunStatus.Paused }), Long);
        }

        var partial = RewriteAsVersion1(databasePath, id);
        Assert.All(partial, epochs => Assert.InRange(epochs, 2, 39));

        await using (var again = await ExperimentTestCluster.StartAsync(silos: 1, databasePath))
        {
            Assert.Equal(SweepStatus.Running, (await again.Grains.Sweep(id).ResumeAsync()).Status);
            var done = await again.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
            Assert.Equal((SweepStatus.Completed, 2), (done.Status, done.Count(RunStatus.Completed)));
            for (var n = 0; n < 2; n++)
            {
                var detail = (await again.Grains.Run(id, n).GetDetailAsync(0))!;
                Assert.True(detail.Run.Resumes >= 1, $"run {n} should have continued from its inline checkpoint");
                SweepClusterTests.AssertSameTrajectory(SweepClusterTests.Uninterrupted(detail.SpecJson), detail.Metrics);
            }
        }

        using var connection = Open(databasePath);
        foreach (var (_, state) in RunStates(connection, id))
        {
            Assert.Equal(RunState.CurrentSchemaVersion, (int)state["SchemaVersion"]!);
            Assert.Null(state["Checkpoint"]);
            Assert.Null(state["Metrics"]);
            Assert.Equal(40, (int)state["MetricsCount"]!);
            Assert.NotNull(state["CheckpointKey"]);
        }
    }

    /// <summary>Puts each run's checkpoint bytes and epochs back into its state, as version 1 stored them, and empties the stores; returns the epochs.</summary>
    private static int[] RewriteAsVersion1(string databasePath, string sweepId)
    {
        using var connection = Open(databasePath);
        var epochs = new List<int>();
        foreach (var (rowId, state) in RunStates(connection, sweepId))
        {
            var (_, run, name, _) = CheckpointKey.Parse((string)state["CheckpointKey"]!);
            var bytes = (byte[])Scalar(connection, "SELECT bytes FROM checkpoints WHERE sweep_id = $s AND run = $r AND name = $n", sweepId, run, name)!;
            var count = (int)state["MetricsCount"]!;
            var metrics = new JsonArray();
            using (var command = Command(connection, "SELECT record FROM trajectories WHERE sweep_id = $s AND run = $r AND idx < $n ORDER BY idx", sweepId, run, count))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                    metrics.Add(JsonNode.Parse(reader.GetString(0)));
            }
            Assert.Equal(count, metrics.Count);
            epochs.Add(count);
            state["SchemaVersion"] = 1;
            state["Checkpoint"] = Convert.ToBase64String(bytes);
            state["Metrics"] = metrics;
            state.Remove("CheckpointKey");
            state.Remove("CheckpointVersion");
            state.Remove("MetricsCount");
            using var update = Command(connection, "UPDATE grain_state SET payload = $s WHERE rowid = $r", state.ToJsonString(), rowId, 0);
            Assert.Equal(1, update.ExecuteNonQuery());
        }
        using (var clear = Command(connection, "DELETE FROM checkpoints WHERE sweep_id = $s; DELETE FROM trajectories WHERE sweep_id = $s", sweepId, 0, 0))
            clear.ExecuteNonQuery();
        return [.. epochs];
    }

    private static List<(long RowId, JsonObject State)> RunStates(SqliteConnection connection, string sweepId)
    {
        var states = new List<(long, JsonObject)>();
        using var command = Command(connection, "SELECT rowid, payload FROM grain_state WHERE state_name = 'run' AND payload IS NOT NULL", sweepId, 0, 0);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var state = JsonNode.Parse(reader.GetString(1))!.AsObject();
            if ((string?)state["SweepId"] == sweepId)
                states.Add((reader.GetInt64(0), state));
        }
        Assert.Equal(2, states.Count);
        return states;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, object s, object r, object n)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (sql.Contains("$s", StringComparison.Ordinal))
            command.Parameters.AddWithValue("$s", s);
        if (sql.Contains("$r", StringComparison.Ordinal))
            command.Parameters.AddWithValue("$r", r);
        if (sql.Contains("$n", StringComparison.Ordinal))
            command.Parameters.AddWithValue("$n", n);
        return command;
    }

    private static object? Scalar(SqliteConnection connection, string sql, object s, object r, object n)
    {
        using var command = Command(connection, sql, s, r, n);
        return command.ExecuteScalar();
    }

    private static Task<RunView?[]> RunsAsync(ExperimentTestCluster test, string id) =>
        Task.WhenAll(Enumerable.Range(0, 2).Select(n => test.Grains.Run(id, n).GetState()));
}
