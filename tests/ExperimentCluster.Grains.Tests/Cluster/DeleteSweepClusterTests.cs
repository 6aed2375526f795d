using System.Text.Json.Nodes;
using ExperimentCluster.Contracts;
using Microsoft.Data.Sqlite;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>
/// Deleting a sweep on a real cluster over the embedded SQLite file: the file itself is read afterwards, so "removed"
/// means nothing of the sweep's data is stored, not only that the grains say so.
/// </summary>
public sealed class DeleteSweepClusterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(4);

    private static string Sweep(int epochs, string rates, int seeds = 1) => $$"""
        {
          "name": "delete-test",
          "training": { "dataset": "digits", "layers": [16], "optimizer": "momentum", "batch_size": 16, "epochs": {{epochs}} },
          "seeds": {{seeds}},
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [{{rates}}] } } },
          "concurrency": 4
        }
        """;

    [Fact]
    public async Task Deleting_a_finished_sweep_leaves_none_of_its_states_or_reminders_in_the_file_and_its_id_takes_a_new_sweep()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 2);
        var id = "delete-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep(epochs: 3, "0.01, 0.03", seeds: 2))).Error);
        await test.WaitForSweepAsync(id, v => v.Status == SweepStatus.Completed, Long);
        // A retried run keeps its first attempt in its state: that history must go too.
        Assert.Null((await test.Grains.Sweep(id).RetryAsync(new RetryRequest(Runs: [1]))).Error);
        await test.WaitForSweepAsync(id, v => v.Status == SweepStatus.Completed, Long);
        await ForceDeactivationsAsync(test);
        var before = StoredRows(test.DatabasePath, id);
        Assert.True(RowsOf(test.DatabasePath, "checkpoints", id) > 0 && RowsOf(test.DatabasePath, "trajectories", id) >= 15);
        // The sweep and its 4 runs hold data before (a run of the built-in trainer writes no log): the check below can fail.
        Assert.True(before.Count(r => r.HasPayload) >= 5, "stored before: " + before.Count(r => r.HasPayload));
        Assert.Contains(id, IndexJson(test.DatabasePath), StringComparison.Ordinal);

        var deletion = await test.Grains.Sweep(id).DeleteAsync();

        Assert.Null(deletion.Error);
        Assert.Equal(4, deletion.Runs);
        Assert.Equal(1, deletion.EarlierAttempts);
        Assert.Equal(4 * 3 + 3, deletion.Epochs);
        // keep_checkpoints' default (best): of the finished runs only the best kept its checkpoint.
        Assert.Equal(1, deletion.Checkpoints);
        // Deactivations write what is pending: none may bring anything back.
        await ForceDeactivationsAsync(test);
        var after = StoredRows(test.DatabasePath, id);
        Assert.True(after.All(r => !r.HasPayload), "still stored: " + string.Join(", ", after.Where(r => r.HasPayload).Select(r => r.GrainId + " " + r.StateName)));
        Assert.DoesNotContain(id, IndexJson(test.DatabasePath), StringComparison.Ordinal);
        Assert.Equal(0, RemindersOf(test.DatabasePath, id));
        Assert.Equal((0, 0), (RowsOf(test.DatabasePath, "checkpoints", id), RowsOf(test.DatabasePath, "trajectories", id)));
        Assert.Null(await test.Grains.Sweep(id).GetState());
        Assert.DoesNotContain(id, await test.Grains.SweepIndex().ListAsync());
        Assert.Null(await test.Grains.Run(id, 1).GetState());
        Assert.StartsWith("id: ", (await test.Grains.Sweep(id).DeleteAsync()).Error, StringComparison.Ordinal);

        // The id takes a different sweep, which starts from nothing: one run, its first attempt, its own epochs.
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep(epochs: 2, "0.02"))).Error);
        var again = await test.WaitForSweepAsync(id, v => v.Status == SweepStatus.Completed, Long);
        Assert.Equal(1, again.Count(RunStatus.Completed));
        Assert.Equal(2, again.EpochsReported);
        var run = (await test.Grains.Run(id, 0).GetDetailAsync(0))!;
        Assert.Equal((1, 2), (run.Run.Attempt, run.Metrics.Count));
        Assert.Empty(run.EarlierAttempts ?? []);
        Assert.Null(await test.Grains.Run(id, 1).GetState());
        Assert.Contains(id, await test.Grains.SweepIndex().ListAsync());
    }

    [Fact]
    public async Task Deleting_a_command_sweep_removes_its_runs_logs_and_checkpoints_from_the_file()
    {
        using var markers = new TrialMarkers();
        await using var test = await CommandSweepClusterTests.StartAsync(markers);
        var id = "delete-command-" + Guid.NewGuid().ToString("N")[..6];
        var sweep = $$"""
            {
              "name": "delete-command",
              "command": { "run": ["python3", {{TrialMarkers.Script("trial.py")}}], "env": {{markers.Env()}}, "epochs": 3 },
              "search": { "strategy": "grid", "space": { "rate": { "values": [0.5, 0.25] } } },
              "concurrency": 2
            }
            """;
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        await test.WaitForSweepAsync(id, v => v.Status == SweepStatus.Completed, Long);
        await ForceDeactivationsAsync(test);
        // Each run stored its log (the program's standard error) as a state of its own beside the run's.
        Assert.Equal(2, StoredRows(test.DatabasePath, id).Count(r => r.HasPayload && r.StateName == "runlog"));

        var deletion = await test.Grains.Sweep(id).DeleteAsync();

        Assert.Null(deletion.Error);
        // keep_checkpoints' default (best): only the better run kept its checkpoint.
        Assert.Equal((2, 6, 1), (deletion.Runs, (int)deletion.Epochs, deletion.Checkpoints));
        Assert.True(deletion.LogChars > 0);
        await ForceDeactivationsAsync(test);
        Assert.DoesNotContain(StoredRows(test.DatabasePath, id), r => r.HasPayload);
        Assert.Equal((0, 0), (RowsOf(test.DatabasePath, "checkpoints", id), RowsOf(test.DatabasePath, "trajectories", id)));
        Assert.Equal("", (await test.Grains.Run(id, 0).GetLogAsync(0, 1000)).Text);
    }

    [Fact]
    public async Task A_running_sweep_is_refused_and_goes_on_training_unchanged()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "delete-running-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep(epochs: 400, "0.01, 0.03"))).Error);
        var running = await ExperimentTestCluster.WaitForAsync(() => test.Grains.Run(id, 0).GetState(), r => r is { Status: RunStatus.Running, Epochs: >= 1 }, Long);

        var refused = await test.Grains.Sweep(id).DeleteAsync();

        Assert.Equal("status: the sweep is running; cancel or pause it first", refused.Error);
        Assert.Equal(0, refused.Runs);
        Assert.Equal(SweepStatus.Running, (await test.Grains.Sweep(id).GetState())!.Status);
        Assert.Contains(id, await test.Grains.SweepIndex().ListAsync());
        // Its runs keep training past where they were when the delete was refused.
        await ExperimentTestCluster.WaitForAsync(() => test.Grains.Run(id, 0).GetState(), r => r is { Status: RunStatus.Running } && r.Epochs > running!.Epochs + 2, Long);

        // Paused, the same sweep can be deleted: its runs are stopped already.
        Assert.Null((await test.Grains.Sweep(id).PauseAsync()).Error);
        await ExperimentTestCluster.WaitForAsync(() => test.Grains.Run(id, 0).GetState(), r => r!.Status != RunStatus.Running, Long);
        var deletion = await test.Grains.Sweep(id).DeleteAsync();
        Assert.Null(deletion.Error);
        Assert.Equal(2, deletion.Runs);
        await ForceDeactivationsAsync(test);
        Assert.DoesNotContain(StoredRows(test.DatabasePath, id), r => r.HasPayload);
        Assert.Equal(0, RemindersOf(test.DatabasePath, id));
    }

    [Fact]
    public async Task A_delete_cut_short_by_a_crash_hides_the_sweep_and_the_next_delete_or_a_new_submission_finishes_it()
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"excl-test-{Guid.NewGuid():N}", "experiments.db");
        var first = "cut-" + Guid.NewGuid().ToString("N")[..6];
        var second = "cut-" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            await using (var test = await ExperimentTestCluster.StartAsync(silos: 1, databasePath))
            {
                foreach (var id in new[] { first, second })
                {
                    Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep(epochs: 2, "0.01, 0.03"))).Error);
                    await test.WaitForSweepAsync(id, v => v.Status == SweepStatus.Completed, Long);
                }
            }
            // The state a silo that died during the delete leaves: the sweep marked Deleting, one run cleared, one not.
            foreach (var id in new[] { first, second })
            {
                MarkDeleting(databasePath, id);
                ClearPayload(databasePath, $"run/{id}/0");
            }

            await using var again = await ExperimentTestCluster.StartAsync(silos: 1, databasePath);
            // Gone for every reader at once, though the index still names it and a run is still stored.
            Assert.Null(await again.Grains.Sweep(first).GetState());
            Assert.Contains(first, await again.Grains.SweepIndex().ListAsync());
            Assert.Contains(StoredRows(databasePath, first), r => r.HasPayload && r.GrainId == $"run/{first}/1");

            var finished = await again.Grains.Sweep(first).DeleteAsync();
            Assert.Null(finished.Error);
            Assert.Equal(2, finished.Runs);
            Assert.Equal(2, finished.Epochs);

            // A new sweep under the other half-deleted id finishes that delete first: the old run 1 does not come back.
            Assert.Null((await again.Grains.Sweep(second).SubmitAsync(Sweep(epochs: 2, "0.05"))).Error);
            var resubmitted = await again.WaitForSweepAsync(second, v => v.Status == SweepStatus.Completed, Long);
            Assert.Equal(1, resubmitted.Count(RunStatus.Completed));
            Assert.Null(await again.Grains.Run(second, 1).GetState());

            await ForceDeactivationsAsync(again);
            Assert.DoesNotContain(StoredRows(databasePath, first), r => r.HasPayload);
            Assert.DoesNotContain(StoredRows(databasePath, second), r => r.HasPayload && r.GrainId == $"run/{second}/1");
            Assert.DoesNotContain(first, await again.Grains.SweepIndex().ListAsync());
        }
        finally
        {
            try
            {
                Directory.Delete(Path.GetDirectoryName(databasePath)!, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    private static Task ForceDeactivationsAsync(ExperimentTestCluster test) =>
        test.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    private sealed record StoredRow(string GrainId, string StateName, bool HasPayload);

    /// <summary>Every grain_state row whose grain is the sweep, one of its runs or a bucket of its runs' summaries, read from the file itself. A cleared
    /// state keeps its row with no payload (its version keeps counting, see SqliteSchema), which holds nothing of the sweep.</summary>
    private static List<StoredRow> StoredRows(string databasePath, string id)
    {
        using var connection = Open(databasePath, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_id, state_name, payload IS NOT NULL FROM grain_state WHERE grain_id = $sweep OR grain_id LIKE $runs ESCAPE '\\' OR grain_id LIKE $buckets ESCAPE '\\'";
        var escaped = id.Replace("_", "\\_", StringComparison.Ordinal);
        command.Parameters.AddWithValue("$sweep", "sweep/" + id);
        command.Parameters.AddWithValue("$runs", "run/" + escaped + "/%");
        // The sweep's runs' summaries, in buckets of their own (SweepRunBuckets).
        command.Parameters.AddWithValue("$buckets", "sweepruns/" + escaped + "/%");
        using var reader = command.ExecuteReader();
        var rows = new List<StoredRow>();
        while (reader.Read())
            rows.Add(new StoredRow(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        return rows;
    }

    private static string IndexJson(string databasePath)
    {
        using var connection = Open(databasePath, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM grain_state WHERE grain_id LIKE 'sweep-index/%' AND state_name = 'sweeps'";
        return command.ExecuteScalar() as string ?? "";
    }

    /// <summary>The rows the checkpoint or trajectory store holds for the sweep.</summary>
    private static long RowsOf(string databasePath, string table, string id)
    {
        using var connection = Open(databasePath, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table} WHERE sweep_id = $sweep";
        command.Parameters.AddWithValue("$sweep", id);
        return (long)command.ExecuteScalar()!;
    }

    private static long RemindersOf(string databasePath, string id)
    {
        using var connection = Open(databasePath, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM reminders WHERE grain_id = $sweep";
        command.Parameters.AddWithValue("$sweep", "sweep/" + id);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Sets Deleting in the stored sweep, as the first step of a delete stores it.</summary>
    private static void MarkDeleting(string databasePath, string id)
    {
        using var connection = Open(databasePath, SqliteOpenMode.ReadWrite);
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT payload FROM grain_state WHERE grain_id = $sweep AND state_name = 'sweep'";
        read.Parameters.AddWithValue("$sweep", "sweep/" + id);
        var state = JsonNode.Parse((string)read.ExecuteScalar()!)!.AsObject();
        state["Deleting"] = true;
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE grain_state SET payload = $payload, version = version + 1 WHERE grain_id = $sweep AND state_name = 'sweep'";
        write.Parameters.AddWithValue("$payload", state.ToJsonString());
        write.Parameters.AddWithValue("$sweep", "sweep/" + id);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    private static void ClearPayload(string databasePath, string grainId)
    {
        using var connection = Open(databasePath, SqliteOpenMode.ReadWrite);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE grain_state SET payload = NULL, version = version + 1 WHERE grain_id = $grain";
        command.Parameters.AddWithValue("$grain", grainId);
        Assert.True(command.ExecuteNonQuery() >= 1);
    }

    private static SqliteConnection Open(string databasePath, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
