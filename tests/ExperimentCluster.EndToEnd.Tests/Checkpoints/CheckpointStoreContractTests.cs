using ExperimentCluster.EndToEnd.Tests.Cluster;
using ExperimentCluster.Grains.Checkpoints;

namespace ExperimentCluster.EndToEnd.Tests.Checkpoints;

/// <summary>What every checkpoint store promises (SQLite file, redis-server, PostgreSQL), one test per promise and store.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class CheckpointStoreContractTests(CheckpointStores stores) : IClassFixture<CheckpointStores>
{
    [Theory]
    [MemberData(nameof(CheckpointStores.Kinds), MemberType = typeof(CheckpointStores))]
    public async Task A_put_checkpoint_reads_back_byte_for_byte_under_a_key_that_names_its_run_and_version(string kind)
    {
        await using var open = stores.Open(kind);
        var sweep = Sweep();
        var bytes = Bytes(100_000, seed: 1);

        var key = await open.Store.PutAsync(sweep, 7, 3, bytes);

        Assert.Equal(bytes, await open.Store.GetAsync(key));
        var (keySweep, run, _, version) = CheckpointKey.Parse(key);
        Assert.Equal((sweep, 7, 3L), (keySweep, run, version));
        Assert.Null(await open.Store.GetAsync(CheckpointKey.New(sweep, 7, 3).Key));
    }

    [Theory]
    [MemberData(nameof(CheckpointStores.Kinds), MemberType = typeof(CheckpointStores))]
    public async Task Two_puts_of_one_version_get_two_keys_and_neither_replaces_the_other(string kind)
    {
        await using var open = stores.Open(kind);
        var sweep = Sweep();

        var first = await open.Store.PutAsync(sweep, 0, 5, Bytes(10, seed: 1));
        var second = await open.Store.PutAsync(sweep, 0, 5, Bytes(10, seed: 2));

        Assert.NotEqual(first, second);
        Assert.Equal(Bytes(10, seed: 1), await open.Store.GetAsync(first));
        Assert.Equal(Bytes(10, seed: 2), await open.Store.GetAsync(second));
    }

    [Theory]
    [MemberData(nameof(CheckpointStores.Kinds), MemberType = typeof(CheckpointStores))]
    public async Task Delete_removes_exactly_the_checkpoints_of_that_run_its_predicate_refuses(string kind)
    {
        await using var open = stores.Open(kind);
        var sweep = Sweep();
        var keys = new List<string>();
        for (var v = 1; v <= 4; v++)
            keys.Add(await open.Store.PutAsync(sweep, 1, v, Bytes(50, seed: v)));
        var otherRun = await open.Store.PutAsync(sweep, 2, 1, Bytes(50, seed: 9));
        var otherSweep = await open.Store.PutAsync(Sweep(), 1, 1, Bytes(50, seed: 9));

        var deleted = await open.Store.DeleteAsync(sweep, 1, key => CheckpointKey.Version(key) >= 3);

        Assert.Equal(2, deleted);
        Assert.Null(await open.Store.GetAsync(keys[0]));
        Assert.Null(await open.Store.GetAsync(keys[1]));
        Assert.Equal(Bytes(50, seed: 3), await open.Store.GetAsync(keys[2]));
        Assert.Equal(Bytes(50, seed: 4), await open.Store.GetAsync(keys[3]));
        Assert.NotNull(await open.Store.GetAsync(otherRun));
        Assert.NotNull(await open.Store.GetAsync(otherSweep));
        Assert.Equal(0, await open.Store.DeleteAsync(sweep, 1, key => CheckpointKey.Version(key) >= 3));
    }

    /// <summary>
    /// The run grain's order of writes (put the new checkpoint, write the state that points at it, delete the older
    /// ones), with a crash between the put and the pointer write: after a restart (a new store on the same server) the
    /// stored pointer still names the old checkpoint, intact; the resumed run's own put of that version takes a new key,
    /// and the clean-up after its pointer write drops the old checkpoint but never the one pointed at.
    /// </summary>
    [Theory]
    [MemberData(nameof(CheckpointStores.Kinds), MemberType = typeof(CheckpointStores))]
    public async Task A_crash_between_the_checkpoint_put_and_the_pointer_write_leaves_the_old_checkpoint_in_place_to_resume_from(string kind)
    {
        var sweep = Sweep();
        string pointer;
        string orphan;
        await using (var before = stores.Open(kind))
        {
            pointer = await before.Store.PutAsync(sweep, 3, 1, Bytes(20_000, seed: 1));
            // Epoch 2's checkpoint is stored, then the silo dies before the state naming it is written.
            orphan = await before.Store.PutAsync(sweep, 3, 2, Bytes(20_000, seed: 2));
        }

        await using var after = stores.Open(kind);
        Assert.Equal(Bytes(20_000, seed: 1), await after.Store.GetAsync(pointer));
        var resumed = await after.Store.PutAsync(sweep, 3, 2, Bytes(20_000, seed: 3));
        Assert.NotEqual(orphan, resumed);
        Assert.Equal(Bytes(20_000, seed: 2), await after.Store.GetAsync(orphan));
        var old = pointer;
        pointer = resumed;
        Assert.Equal(1, await after.Store.DeleteAsync(sweep, 3, key => key == pointer || CheckpointKey.Version(key) >= 2));

        Assert.Null(await after.Store.GetAsync(old));
        Assert.Equal(Bytes(20_000, seed: 3), await after.Store.GetAsync(pointer));
        // The orphan of the crash goes with the next checkpoint's clean-up.
        var next = await after.Store.PutAsync(sweep, 3, 3, Bytes(20_000, seed: 4));
        Assert.Equal(2, await after.Store.DeleteAsync(sweep, 3, key => key == next || CheckpointKey.Version(key) >= 3));
        Assert.Null(await after.Store.GetAsync(orphan));
        Assert.Equal(Bytes(20_000, seed: 4), await after.Store.GetAsync(next));
    }

    /// <summary>
    /// Storage grows with trajectories, not with parameters: a run that checkpoints every epoch (put, then drop the older
    /// one) writes as many bytes for its 500th epoch as for its 5th, within 10 %, and keeps one checkpoint.
    /// </summary>
    [Theory]
    [MemberData(nameof(CheckpointStores.Kinds), MemberType = typeof(CheckpointStores))]
    public async Task The_bytes_written_for_epoch_500_equal_those_for_epoch_5_within_10_percent(string kind)
    {
        await using var open = stores.Open(kind);
        var sweep = Sweep();
        var checkpoint = Bytes(4_000, seed: 5);
        long at5 = 0, at500 = 0;
        string? pointer = null;
        for (var epoch = 1; epoch <= 500; epoch++)
        {
            var before = open.BytesWritten;
            var key = await open.Store.PutAsync(sweep, 0, epoch, checkpoint);
            var current = key;
            await open.Store.DeleteAsync(sweep, 0, k => k == current);
            pointer = key;
            var written = open.BytesWritten - before;
            if (epoch == 5)
                at5 = written;
            if (epoch == 500)
                at500 = written;
        }

        Assert.True(at5 > 0, "epoch 5 wrote nothing");
        Assert.InRange(at500, at5 * 0.9, at5 * 1.1);
        Assert.Equal(checkpoint, await open.Store.GetAsync(pointer!));
        Assert.Equal(0, await open.Store.DeleteAsync(sweep, 0, k => k == pointer));
    }

    private static string Sweep() => "ckpt-" + Guid.NewGuid().ToString("N")[..8];

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
