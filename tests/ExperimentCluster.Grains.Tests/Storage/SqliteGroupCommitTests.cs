using ExperimentCluster.Silo.Storage;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace ExperimentCluster.Grains.Tests.Storage;

public sealed class SqliteGroupCommitTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Writes_queued_while_a_transaction_is_in_progress_commit_together_in_the_next_one()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        using var executing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var batchesBefore = storage.Database.CommittedBatches;

        // Hold the writer inside a transaction while the other writes queue up behind it.
        var blocker = storage.Database.WriteAsync(
            _ =>
            {
                executing.Set();
                return release.Wait(Patience);
            },
            CancellationToken.None);
        Assert.True(executing.Wait(Patience), "the writer never started the blocking write");
        var queued = Enumerable.Range(0, 100)
            .Select(i => storage.WriteStateAsync("run", RunId($"queued-{i}"), new GrainState<SampleState>(new SampleState { Epoch = i })))
            .ToList();
        release.Set();

        Assert.True(await blocker);
        await Task.WhenAll(queued);
        Assert.Equal(2, storage.Database.CommittedBatches - batchesBefore);
        Assert.Equal(100, SqliteStateInspector.CountStates(_database.Path, "run"));
    }

    [Fact]
    public async Task A_write_that_fails_in_SQLite_fails_alone_and_the_writes_batched_with_it_commit()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        using var executing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = storage.Database.WriteAsync(
            _ =>
            {
                executing.Set();
                return release.Wait(Patience);
            },
            CancellationToken.None);
        Assert.True(executing.Wait(Patience), "the writer never started the blocking write");

        var before = Enumerable.Range(0, 50)
            .Select(i => storage.WriteStateAsync("run", RunId($"before-{i}"), new GrainState<SampleState>(new SampleState { Epoch = i })))
            .ToList();
        var broken = storage.Database.WriteAsync(
            writer => writer.Command("INSERT INTO no_such_table VALUES (1)").ExecuteNonQuery(),
            CancellationToken.None);
        var after = Enumerable.Range(0, 50)
            .Select(i => storage.WriteStateAsync("run", RunId($"after-{i}"), new GrainState<SampleState>(new SampleState { Epoch = i })))
            .ToList();
        release.Set();
        await blocker;

        await Assert.ThrowsAsync<SqliteException>(() => broken);
        await Task.WhenAll(before.Concat(after));
        Assert.Equal(100, SqliteStateInspector.CountStates(_database.Path, "run"));
    }

    [Fact]
    public async Task A_write_whose_caller_already_gave_up_is_not_applied()
    {
        await using var storage = TestStorage.Storage(_database.Path);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var state = new GrainState<SampleState>(new SampleState { Epoch = 1 });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.WriteStateAsync("run", RunId("a"), state, cancelled.Token));

        Assert.Null(state.ETag);
        Assert.Null(SqliteStateInspector.ReadStateJson(_database.Path, RunId("a"), "run"));
    }

    [Fact]
    public async Task Writes_queued_before_the_last_user_lets_go_are_committed_before_the_file_closes()
    {
        var storage = TestStorage.Storage(_database.Path);
        var pending = Enumerable.Range(0, 200)
            .Select(i => storage.WriteStateAsync("run", RunId($"late-{i}"), new GrainState<SampleState>(new SampleState { Epoch = i })))
            .ToList();

        await storage.DisposeAsync();

        Assert.False(SqliteDatabase.IsOpen(_database.Path));
        Assert.All(pending, write => Assert.True(write.IsCompletedSuccessfully));
        Assert.Equal(200, SqliteStateInspector.CountStates(_database.Path, "run"));
    }

    private static GrainId RunId(string key) => GrainId.Create("run", key);
}
