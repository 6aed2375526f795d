using System.Diagnostics;
using System.Text.Json;
using ExperimentCluster.Silo.Storage;
using Orleans.Storage;
using Xunit.Abstractions;

namespace ExperimentCluster.Grains.Tests.Storage;

public sealed class SqliteGrainStorageTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task The_database_file_and_its_folder_are_created_when_missing()
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(_database.Path)));

        await using var storage = TestStorage.Storage(_database.Path);

        Assert.True(File.Exists(_database.Path));
    }

    [Fact]
    public async Task Reading_a_state_never_written_gives_a_fresh_state_without_etag()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        var state = new GrainState<SampleState>(new SampleState { Epoch = 99 });

        await storage.ReadStateAsync("run", RunId("never"), state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.State!.Epoch);
    }

    [Fact]
    public async Task A_written_state_reads_back_after_the_database_is_closed_and_reopened()
    {
        var written = new GrainState<SampleState>(Sample(epoch: 7));
        await using (var storage = TestStorage.Storage(_database.Path))
        {
            await storage.WriteStateAsync("run", RunId("a"), written);
        }

        Assert.False(SqliteDatabase.IsOpen(_database.Path));

        await using var reopened = TestStorage.Storage(_database.Path);
        var read = new GrainState<SampleState>();
        await reopened.ReadStateAsync("run", RunId("a"), read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(7, read.State!.Epoch);
        Assert.Equal("epoch 7", read.State.Note);
        Assert.Equal(written.State!.Losses, read.State!.Losses);
        Assert.Equal(new SampleSpec(0.01, 3), read.State.Spec);
    }

    [Fact]
    public async Task A_committed_write_survives_the_process_dying_without_closing_the_file()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        await storage.WriteStateAsync("run", RunId("a"), new GrainState<SampleState>(Sample(epoch: 9)));

        // What kill -9 leaves behind: the main file and a WAL that was neither checkpointed nor closed.
        var wal = _database.Path + "-wal";
        Assert.True(new FileInfo(wal).Length > 0);
        using var crashed = new TempDatabase();
        Directory.CreateDirectory(Path.GetDirectoryName(crashed.Path)!);
        File.Copy(_database.Path, crashed.Path);
        File.Copy(wal, crashed.Path + "-wal");

        await using var recovered = TestStorage.Storage(crashed.Path);
        var read = new GrainState<SampleState>();
        await recovered.ReadStateAsync("run", RunId("a"), read);

        Assert.True(read.RecordExists);
        Assert.Equal(9, read.State!.Epoch);
    }

    [Fact]
    public async Task Each_write_advances_the_etag_by_one()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        var state = new GrainState<SampleState>(Sample(epoch: 1));

        await storage.WriteStateAsync("run", RunId("a"), state);
        Assert.Equal("1", state.ETag);
        Assert.True(state.RecordExists);

        await storage.WriteStateAsync("run", RunId("a"), state);
        Assert.Equal("2", state.ETag);
    }

    [Fact]
    public async Task A_stale_etag_from_another_storage_instance_is_refused_with_InconsistentStateException()
    {
        await using var first = TestStorage.Storage(_database.Path);
        await using var second = TestStorage.Storage(_database.Path);
        await first.WriteStateAsync("run", RunId("a"), new GrainState<SampleState>(Sample(epoch: 1)));

        var mine = new GrainState<SampleState>();
        var theirs = new GrainState<SampleState>();
        await first.ReadStateAsync("run", RunId("a"), mine);
        await second.ReadStateAsync("run", RunId("a"), theirs);

        mine.State!.Epoch = 2;
        await first.WriteStateAsync("run", RunId("a"), mine);
        theirs.State!.Epoch = 3;
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => second.WriteStateAsync("run", RunId("a"), theirs));

        Assert.Equal("2", conflict.StoredEtag);
        Assert.Equal("1", conflict.CurrentEtag);
        var stored = new GrainState<SampleState>();
        await first.ReadStateAsync("run", RunId("a"), stored);
        Assert.Equal(2, stored.State!.Epoch);
    }

    [Fact]
    public async Task Writing_a_new_record_over_an_existing_one_is_refused()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        await storage.WriteStateAsync("run", RunId("a"), new GrainState<SampleState>(Sample(epoch: 1)));

        var blind = new GrainState<SampleState>(Sample(epoch: 2));

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("run", RunId("a"), blind));
    }

    [Fact]
    public async Task An_etag_this_storage_never_issued_is_refused()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        var state = new GrainState<SampleState>(Sample(epoch: 1)) { ETag = "not-a-version" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("run", RunId("a"), state));
    }

    [Fact]
    public async Task Clearing_removes_the_state_and_keeps_the_etag_counting_so_old_etags_never_match_again()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        var state = new GrainState<SampleState>(Sample(epoch: 1));
        await storage.WriteStateAsync("run", RunId("a"), state);
        var beforeClear = new GrainState<SampleState>();
        await storage.ReadStateAsync("run", RunId("a"), beforeClear);

        await storage.ClearStateAsync("run", RunId("a"), state);

        Assert.False(state.RecordExists);
        Assert.Equal("2", state.ETag);
        Assert.Equal(0, state.State!.Epoch);
        Assert.Null(SqliteStateInspector.ReadStateJson(_database.Path, RunId("a"), "run"));
        var read = new GrainState<SampleState>();
        await storage.ReadStateAsync("run", RunId("a"), read);
        Assert.False(read.RecordExists);
        Assert.Equal("2", read.ETag);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("run", RunId("a"), beforeClear));
        read.State!.Epoch = 5;
        await storage.WriteStateAsync("run", RunId("a"), read);
        Assert.Equal("3", read.ETag);
    }

    [Fact]
    public async Task Clearing_with_a_stale_etag_is_refused()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        var state = new GrainState<SampleState>(Sample(epoch: 1));
        await storage.WriteStateAsync("run", RunId("a"), state);
        var stale = new GrainState<SampleState> { ETag = state.ETag };
        await storage.WriteStateAsync("run", RunId("a"), state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("run", RunId("a"), stale));

        Assert.NotNull(SqliteStateInspector.ReadStateJson(_database.Path, RunId("a"), "run"));
    }

    [Fact]
    public async Task States_of_one_grain_with_different_names_are_separate_records()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        await storage.WriteStateAsync("run", RunId("a"), new GrainState<SampleState>(Sample(epoch: 1)));
        await storage.WriteStateAsync("checkpoint", RunId("a"), new GrainState<SampleState>(Sample(epoch: 2)));

        var run = new GrainState<SampleState>();
        var checkpoint = new GrainState<SampleState>();
        await storage.ReadStateAsync("run", RunId("a"), run);
        await storage.ReadStateAsync("checkpoint", RunId("a"), checkpoint);

        Assert.Equal(1, run.State!.Epoch);
        Assert.Equal(2, checkpoint.State!.Epoch);
    }

    [Fact]
    public async Task The_stored_state_is_plain_json_without_type_names()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        await storage.WriteStateAsync("run", RunId("a"), new GrainState<SampleState>(Sample(epoch: 4)));

        var json = SqliteStateInspector.ReadStateJson(_database.Path, RunId("a"), "run");

        Assert.NotNull(json);
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        Assert.DoesNotContain("$id", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(4, document.RootElement.GetProperty("Epoch").GetInt32());
        Assert.Equal(0.01, document.RootElement.GetProperty("Spec").GetProperty("LearningRate").GetDouble());
    }

    [Fact]
    public async Task A_refused_write_does_not_fail_the_writes_that_share_its_transaction()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        var stale = new GrainState<SampleState>(Sample(epoch: 1));
        await storage.WriteStateAsync("run", RunId("contested"), stale);
        await storage.WriteStateAsync("run", RunId("contested"), new GrainState<SampleState>(Sample(epoch: 2)) { ETag = stale.ETag });

        // Queued together, these land in the same group commits as the stale write.
        var others = Enumerable.Range(0, 300)
            .Select(i => storage.WriteStateAsync("run", RunId($"other-{i}"), new GrainState<SampleState>(Sample(epoch: i))))
            .ToList();
        var refused = storage.WriteStateAsync("run", RunId("contested"), stale);

        await Assert.ThrowsAsync<InconsistentStateException>(() => refused);
        await Task.WhenAll(others);
        Assert.Equal(301, SqliteStateInspector.CountStates(_database.Path, "run"));
    }

    [Fact]
    public async Task Opening_one_file_with_two_durability_settings_is_refused()
    {
        await using var storage = TestStorage.Storage(_database.Path, SqliteSynchronous.Normal);

        var refusal = Assert.Throws<InvalidOperationException>(() => TestStorage.Storage(_database.Path, SqliteSynchronous.Full));

        Assert.Contains("Synchronous", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_after_the_storage_is_disposed_fail_instead_of_vanishing()
    {
        var storage = TestStorage.Storage(_database.Path);
        await storage.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => storage.WriteStateAsync("run", RunId("a"), new GrainState<SampleState>(Sample(epoch: 1))));
    }

    // Not a timed assertion: it checks that every write lands and reports the rate in the test output.
    [Fact]
    public async Task Sixty_four_concurrent_writers_of_2_KB_states_all_land_and_the_rate_is_reported()
    {
        const int Writers = 64;
        var writesPerWriter = int.TryParse(Environment.GetEnvironmentVariable("EXCL_SQLITE_BENCH_WRITES_PER_WRITER"), out var configured)
            ? configured
            : 150;
        var synchronous = Enum.TryParse<SqliteSynchronous>(Environment.GetEnvironmentVariable("EXCL_SQLITE_BENCH_SYNCHRONOUS"), out var chosen)
            ? chosen
            : SqliteSynchronous.Normal;
        await using var storage = TestStorage.Storage(_database.Path, synchronous);
        var states = Enumerable.Range(0, Writers).Select(i => new GrainState<SampleState>(Sample(epoch: 0))).ToArray();
        var payloadBytes = TestStorage.Json.Serialize(states[0].State).ToMemory().Length;
        var batchesBefore = storage.Database.CommittedBatches;
        var writesBefore = storage.Database.CommittedWrites;

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async writer =>
        {
            // Each writer behaves like a grain: one write at a time, the next after the previous completed.
            for (var i = 1; i <= writesPerWriter; i++)
            {
                states[writer].State!.Epoch = i;
                await storage.WriteStateAsync("run", RunId($"bench-{writer}"), states[writer]);
            }
        }));
        clock.Stop();

        var total = Writers * writesPerWriter;
        var batches = storage.Database.CommittedBatches - batchesBefore;
        output.WriteLine(
            $"synchronous={synchronous}: {total} writes of {payloadBytes} B by {Writers} concurrent writers in {clock.Elapsed.TotalMilliseconds:F0} ms: " +
            $"{total / clock.Elapsed.TotalSeconds:F0} writes/s, {batches} transactions, " +
            $"{(double)(storage.Database.CommittedWrites - writesBefore) / batches:F1} writes per transaction");
        for (var writer = 0; writer < Writers; writer++)
        {
            var read = new GrainState<SampleState>();
            await storage.ReadStateAsync("run", RunId($"bench-{writer}"), read);
            Assert.Equal(writesPerWriter, read.State!.Epoch);
            Assert.Equal(writesPerWriter.ToString(System.Globalization.CultureInfo.InvariantCulture), read.ETag);
        }
    }

    private static GrainId RunId(string key) => GrainId.Create("run", key);

    // About 2 KB of JSON: a run's spec, a note and a loss trajectory of 100 epochs.
    private static SampleState Sample(int epoch) => new()
    {
        Epoch = epoch,
        Note = $"epoch {epoch}",
        Losses = Enumerable.Range(0, 100).Select(i => 2.5 / (1 + i) + 0.001 * i + 1e-7).ToList(),
        Spec = new SampleSpec(0.01, 3),
    };
}
