using ExperimentCluster.Contracts;
using ExperimentCluster.EndToEnd.Tests.Cluster;

namespace ExperimentCluster.EndToEnd.Tests.Checkpoints;

/// <summary>What every trajectory store promises (SQLite file, redis-server, PostgreSQL), one test per promise and store.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class TrajectoryStoreContractTests(CheckpointStores stores) : IClassFixture<CheckpointStores>
{
    [Theory]
    [MemberData(nameof(CheckpointStores.Kinds), MemberType = typeof(CheckpointStores))]
    public async Task Epochs_appended_batch_by_batch_read_back_in_order_in_one_call_as_many_as_asked(string kind)
    {
        await using var open = stores.OpenTrajectories(kind);
        var sweep = Sweep();
        await open.Store.WriteAsync(sweep, 2, 1, 0, [Epoch(1), Epoch(2)]);
        await open.Store.WriteAsync(sweep, 2, 1, 2, [Epoch(3)]);

        Assert.Equal([Epoch(1), Epoch(2), Epoch(3)], await open.Store.ReadAsync(sweep, 2, 1, 3));
        Assert.Equal([Epoch(1), Epoch(2)], await open.Store.ReadAsync(sweep, 2, 1, 2));
        Assert.Empty(await open.Store.ReadAsync(sweep, 2, 2, 3));
        Assert.Empty(await open.Store.ReadAsync(sweep, 3, 1, 3));
    }

    /// <summary>
    /// A crash after epochs were appended but before the state counted them, then the resumed run writing those positions
    /// again (with what it trained this time): the series holds the new epochs and nothing of the old ones past them.
    /// </summary>
    [Theory]
    [MemberData(nameof(CheckpointStores.Kinds), MemberType = typeof(CheckpointStores))]
    public async Task Writing_from_a_position_again_replaces_the_epochs_there_and_drops_those_after(string kind)
    {
        await using var open = stores.OpenTrajectories(kind);
        var sweep = Sweep();
        await open.Store.WriteAsync(sweep, 0, 1, 0, [Epoch(1), Epoch(2), Epoch(3), Epoch(4)]);

        await open.Store.WriteAsync(sweep, 0, 1, 2, [Epoch(3, loss: 0.25)]);

        Assert.Equal([Epoch(1), Epoch(2), Epoch(3, loss: 0.25)], await open.Store.ReadAsync(sweep, 0, 1, 10));
    }

    [Theory]
    [MemberData(nameof(CheckpointStores.Kinds), MemberType = typeof(CheckpointStores))]
    public async Task A_diverged_epochs_non_finite_losses_survive_the_store(string kind)
    {
        await using var open = stores.OpenTrajectories(kind);
        var sweep = Sweep();
        EpochRecord diverged = new(1, double.NaN, double.PositiveInfinity, null, 0.1, 0.5, 10);

        await open.Store.WriteAsync(sweep, 0, 1, 0, [diverged]);

        Assert.Equal([diverged], await open.Store.ReadAsync(sweep, 0, 1, 1));
    }

    [Theory]
    [MemberData(nameof(CheckpointStores.Kinds), MemberType = typeof(CheckpointStores))]
    public async Task The_bytes_written_for_epoch_500_equal_those_for_epoch_5_within_10_percent(string kind)
    {
        await using var open = stores.OpenTrajectories(kind);
        var sweep = Sweep();
        long at5 = 0, at500 = 0;
        for (var epoch = 1; epoch <= 500; epoch++)
        {
            var before = open.BytesWritten;
            await open.Store.WriteAsync(sweep, 0, 1, epoch - 1, [Epoch(epoch, loss: 1.0 / (7 * epoch + 3))]);
            var written = open.BytesWritten - before;
            if (epoch == 5)
                at5 = written;
            if (epoch == 500)
                at500 = written;
        }

        Assert.True(at5 > 0, "epoch 5 wrote nothing");
        Assert.InRange(at500, at5 * 0.9, at5 * 1.1);
        var curve = await open.Store.ReadAsync(sweep, 0, 1, 500);
        Assert.Equal(Enumerable.Range(1, 500), curve.Select(e => e.Epoch));
    }

    [Theory]
    [MemberData(nameof(CheckpointStores.Kinds), MemberType = typeof(CheckpointStores))]
    public async Task Deleting_a_run_removes_the_series_of_its_attempts_and_nothing_else(string kind)
    {
        await using var open = stores.OpenTrajectories(kind);
        var sweep = Sweep();
        foreach (var attempt in new[] { 1, 2 })
            await open.Store.WriteAsync(sweep, 4, attempt, 0, [Epoch(1), Epoch(2)]);
        await open.Store.WriteAsync(sweep, 5, 1, 0, [Epoch(1)]);

        await open.Store.DeleteAsync(sweep, 4, attempts: 2);

        Assert.Empty(await open.Store.ReadAsync(sweep, 4, 1, 2));
        Assert.Empty(await open.Store.ReadAsync(sweep, 4, 2, 2));
        Assert.Equal([Epoch(1)], await open.Store.ReadAsync(sweep, 5, 1, 1));
    }

    private static EpochRecord Epoch(int epoch, double loss = 0.5) => new(epoch, loss, loss * 1.5, 0.75, 0.01, 0.125, epoch * 100L);

    private static string Sweep() => "traj-" + Guid.NewGuid().ToString("N")[..8];
}
