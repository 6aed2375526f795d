using System.Diagnostics.Metrics;
using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Tests.Cluster;
using ExperimentCluster.Silo.Storage;
using Microsoft.Data.Sqlite;

namespace ExperimentCluster.Grains.Tests.Storage;

/// <summary>
/// ETag conflicts made on purpose in a real cluster's SQLite file, under grains that are writing: an older row put back
/// (what a store that lost its newest writes holds) and a row changed by someone else. Each grain must recover by itself.
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed class ConflictRecoveryClusterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    /// <summary>Enough that the rows are put back while the runs are far from done (a wide network: with a warm JIT a
    /// narrow one finished its 100 epochs before the rows went back, and nothing wrote into the conflict).</summary>
    private const int Epochs = 100;

    private static string Sweep(int epochs) => $$"""
        {
          "name": "conflicts",
          "training": { "dataset": "digits", "layers": [256, 256], "optimizer": "momentum", "batch_size": 16, "epochs": {{epochs}} },
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.003, 0.01] } } },
          "concurrency": 2
        }
        """;

    [Fact]
    public async Task A_run_and_its_sweep_whose_stored_rows_went_back_write_their_own_state_again_and_lose_nothing()
    {
        using var counts = new ConflictMeter();
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "older-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(Sweep(epochs: Epochs))).Error);
        var run = test.Grains.Run(id, 0);
        await ExperimentTestCluster.WaitForAsync(() => run.GetState(), v => v is { Epochs: >= 2 }, Long);
        var runRow = Row.Read(test.DatabasePath, run.GetGrainId(), "run");
        var sweepRow = Row.Read(test.DatabasePath, test.Grains.Sweep(id).GetGrainId(), "sweep");
        var atCopy = (await run.GetState())!.Epochs;
        await ExperimentTestCluster.WaitForAsync(() => run.GetState(), v => v is { Epochs: var e } && e >= atCopy + 3, Long);
        await ExperimentTestCluster.WaitForAsync(() => Task.FromResult(Row.Read(test.DatabasePath, test.Grains.Sweep(id).GetGrainId(), "sweep").Version),
            v => v > sweepRow.Version, Long);

        // The store goes back to the rows copied earlier: every write since is lost, as after a crash.
        var runNow = Row.Read(test.DatabasePath, run.GetGrainId(), "run").Version;
        runRow.Restore(test.DatabasePath);
        sweepRow.Restore(test.DatabasePath);
        output.WriteLine($"run row {runNow} -> {runRow.Version}, after restore {Row.Read(test.DatabasePath, run.GetGrainId(), "run").Version}");
        // Else nothing writes into the conflict and the test proves nothing.
        Assert.True((await run.GetState())!.Epochs < Epochs, "run 0 had finished before its row went back");

        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);
        var detail = (await run.GetDetailAsync(0))!;
        Assert.Equal(Enumerable.Range(1, Epochs), detail.Metrics.Select(m => m.Epoch));
        Assert.Equal(2 * Epochs, done.EpochsReported);
        var recovered = await ExperimentTestCluster.WaitForAsync(() => Task.FromResult(counts.Snapshot()), c => c.Met("run") >= 1 && c.Met("sweep") >= 1 && c.AllRecovered, Long, c => c.ToString());
        output.WriteLine(recovered.ToString());
    }

    [Fact]
    public async Task A_sweep_whose_stored_row_another_writer_cancelled_takes_the_stored_state()
    {
        using var counts = new ConflictMeter();
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "further-" + Guid.NewGuid().ToString("N")[..6];
        var sweep = test.Grains.Sweep(id);
        Assert.Null((await sweep.SubmitAsync(Sweep(epochs: 200))).Error);
        await ExperimentTestCluster.WaitForAsync(() => test.Grains.Run(id, 0).GetState(), v => v is { Epochs: >= 1 }, Long);

        // Another writer ended the sweep in the store: the stored state knows more than this activation.
        using (var connection = Row.Open(test.DatabasePath))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE grain_state SET version = version + 1000, payload = json_set(payload, '$.Status', 'Cancelled') WHERE grain_id = $g AND state_name = 'sweep'";
            command.Parameters.AddWithValue("$g", sweep.GetGrainId().ToString());
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        // The sweep's next write meets the conflict, its activation ends, and the next one loads the cancelled sweep,
        // whose runs are told to stop at their next report.
        await test.WaitForSweepAsync(id, v => v.Status == SweepStatus.Cancelled, Long);
        await ExperimentTestCluster.WaitForAsync(() => test.Grains.Run(id, 0).GetState(), v => v is { Status: RunStatus.Cancelled }, Long);
        await ExperimentTestCluster.WaitForAsync(() => Task.FromResult(counts.Snapshot()), c => c.Met("sweep") >= 1 && c.AllRecovered, Long, c => c.ToString());
    }

    /// <summary>One stored row as it was at one moment.</summary>
    private sealed record Row(string GrainId, string State, long Version, string Payload)
    {
        public static SqliteConnection Open(string path)
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
            connection.Open();
            return connection;
        }

        public static Row Read(string path, GrainId grain, string state)
        {
            using var connection = Open(path);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT version, payload FROM grain_state WHERE grain_id = $g AND state_name = $s";
            command.Parameters.AddWithValue("$g", grain.ToString());
            command.Parameters.AddWithValue("$s", state);
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read(), $"no stored {state} for {grain}");
            return new Row(grain.ToString(), state, reader.GetInt64(0), reader.GetString(1));
        }

        public void Restore(string path)
        {
            using var connection = Open(path);
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE grain_state SET version = $v, payload = $p WHERE grain_id = $g AND state_name = $s";
            command.Parameters.AddWithValue("$v", Version);
            command.Parameters.AddWithValue("$p", Payload);
            command.Parameters.AddWithValue("$g", GrainId);
            command.Parameters.AddWithValue("$s", State);
            Assert.Equal(1, command.ExecuteNonQuery());
        }
    }

    /// <summary>The grains' conflict counters (excl.storage.conflicts and .recovered), by state, from this process' silos.</summary>
    private sealed class ConflictMeter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _met = [];
        private readonly Dictionary<string, long> _recovered = [];

        public ConflictMeter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ExperimentMetrics.MeterName && instrument.Name.StartsWith("excl.storage.conflicts", StringComparison.Ordinal))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var state = "";
                foreach (var tag in tags)
                {
                    if (tag.Key == "state")
                        state = tag.Value as string ?? "";
                }
                var into = instrument.Name == "excl.storage.conflicts" ? _met : _recovered;
                lock (into)
                    into[state] = into.GetValueOrDefault(state) + value;
            });
            _listener.Start();
        }

        public Counts Snapshot()
        {
            lock (_met)
            lock (_recovered)
                return new Counts(new Dictionary<string, long>(_met), new Dictionary<string, long>(_recovered));
        }

        public void Dispose() => _listener.Dispose();
    }

    private sealed record Counts(Dictionary<string, long> MetByState, Dictionary<string, long> RecoveredByState)
    {
        public long Met(string state) => MetByState.GetValueOrDefault(state);

        public bool AllRecovered => MetByState.Keys.Union(RecoveredByState.Keys).All(k => MetByState.GetValueOrDefault(k) == RecoveredByState.GetValueOrDefault(k));

        public override string ToString() =>
            $"met {string.Join(", ", MetByState.Select(kv => $"{kv.Key} {kv.Value}"))}; recovered {string.Join(", ", RecoveredByState.Select(kv => $"{kv.Key} {kv.Value}"))}";
    }
}
