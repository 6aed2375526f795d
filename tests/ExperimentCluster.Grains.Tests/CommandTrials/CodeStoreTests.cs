using ExperimentCluster.CommandTrials.Archives;
using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Code;
using ExperimentCluster.Grains.Tests.Cluster;
using ExperimentCluster.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExperimentCluster.Grains.Tests.CommandTrials;

/// <summary>Uploaded code in a real two-silo cluster: stored once by its hash, unpacked by each silo's own cache.</summary>
public sealed class CodeStoreTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stored_code_is_unpacked_by_another_silos_cache_with_its_files_and_marker()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 2);
        using var source = Sample(out var archive, out var hash);

        Assert.False(await test.Grains.Code(hash).HasAsync());
        Assert.Null(await test.Grains.Code(hash).GetAsync());
        await test.Grains.Code(hash).StoreAsync(archive);
        Assert.True(await test.Grains.Code(hash).HasAsync());

        var caches = test.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<CodeCache>()).ToList();
        Assert.NotEqual(caches[0].Root, caches[1].Root);
        foreach (var cache in caches)
        {
            var folder = await cache.EnsureAsync(hash, CancellationToken.None).WaitAsync(Wait);
            Assert.Equal(Path.Combine(cache.Root, hash["sha256:".Length..]), folder);
            Assert.Equal(ScratchFolder.Tree(source.Path), ScratchFolder.Tree(folder));
            Assert.Equal("print('train')\n", await File.ReadAllTextAsync(Path.Combine(folder, "train.py")));
            Assert.True(File.Exists(cache.MarkerOf(hash)));
        }
    }

    [Fact]
    public async Task Code_whose_bytes_do_not_have_the_hash_of_its_key_is_refused_and_not_stored()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        using var source = Sample(out var archive, out var hash);
        var other = CodeHash.Of([1, 2, 3]);

        var wrong = await Assert.ThrowsAsync<CodeStoreException>(() => test.Grains.Code(other).StoreAsync(archive));
        Assert.Contains($"the archive's hash is {hash}", wrong.Message, StringComparison.Ordinal);
        Assert.False(await test.Grains.Code(other).HasAsync());

        var badKey = await Assert.ThrowsAsync<CodeStoreException>(() => test.Grains.Code("latest").StoreAsync(archive));
        Assert.Contains("'latest' is not a code hash", badKey.Message, StringComparison.Ordinal);

        var empty = await Assert.ThrowsAsync<CodeStoreException>(() => test.Grains.Code(CodeHash.Of([])).StoreAsync([]));
        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storing_the_same_code_again_changes_nothing_in_storage()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        using var source = Sample(out var archive, out var hash);
        var grainId = GrainId.Create("code", hash);

        await test.Grains.Code(hash).StoreAsync(archive);
        var stored = SqliteStateInspector.ReadStateJson(test.DatabasePath, grainId, "code");
        Assert.NotNull(stored);
        await test.Grains.Code(hash).StoreAsync(archive);

        // The first write's time is still there: the second store did not write.
        Assert.Equal(stored, SqliteStateInspector.ReadStateJson(test.DatabasePath, grainId, "code"));
        Assert.Equal(archive, await test.Grains.Code(hash).GetAsync());
    }

    [Fact]
    public async Task The_cache_unpacks_once_trusts_a_marked_folder_and_redoes_one_without_its_marker()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        using var source = Sample(out var archive, out var hash);
        using var root = new ScratchFolder();
        await test.Grains.Code(hash).StoreAsync(archive);

        // Callers at once share one unpack: they all get the folder, and none of them finds it half done or moved.
        var cache = NewCache(test, root.Path);
        var folders = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cache.EnsureAsync(hash, CancellationToken.None))).WaitAsync(Wait);
        Assert.Single(folders.Distinct());
        var folder = folders[0];
        Assert.Equal(ScratchFolder.Tree(source.Path), ScratchFolder.Tree(folder));

        // A marked folder is trusted, also by a new cache (a restarted silo): a file added to it stays.
        await File.WriteAllTextAsync(Path.Combine(folder, "added.txt"), "not from the archive");
        Assert.Equal(folder, await NewCache(test, root.Path).EnsureAsync(hash, CancellationToken.None).WaitAsync(Wait));
        Assert.True(File.Exists(Path.Combine(folder, "added.txt")));

        // Without its marker (a crash after the move, or a half-written folder) it is unpacked again from the archive.
        File.Delete(cache.MarkerOf(hash));
        File.Delete(Path.Combine(folder, "train.py"));
        Assert.Equal(folder, await NewCache(test, root.Path).EnsureAsync(hash, CancellationToken.None).WaitAsync(Wait));
        Assert.Equal(ScratchFolder.Tree(source.Path), ScratchFolder.Tree(folder));
        Assert.True(File.Exists(cache.MarkerOf(hash)));

        // The same cache notices a removed folder instead of handing out its old answer.
        Directory.Delete(folder, recursive: true);
        File.Delete(cache.MarkerOf(hash));
        Assert.Equal(folder, await cache.EnsureAsync(hash, CancellationToken.None).WaitAsync(Wait));
        Assert.Equal(ScratchFolder.Tree(source.Path), ScratchFolder.Tree(folder));
    }

    [Fact]
    public async Task Code_that_was_never_stored_is_an_error_that_says_so_and_a_later_upload_is_picked_up()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        using var source = Sample(out var archive, out var hash);
        using var root = new ScratchFolder();
        var cache = NewCache(test, root.Path);

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => cache.EnsureAsync(hash, CancellationToken.None).WaitAsync(Wait));
        Assert.Contains("not in the cluster's storage", missing.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(cache.FolderOf(hash)));

        await test.Grains.Code(hash).StoreAsync(archive);
        Assert.Equal(cache.FolderOf(hash), await cache.EnsureAsync(hash, CancellationToken.None).WaitAsync(Wait));
        Assert.Throws<ArgumentException>(() => { _ = cache.EnsureAsync("sha256:../../etc", CancellationToken.None); });
    }

    private static CodeCache NewCache(ExperimentTestCluster test, string root) =>
        new(test.Grains, Options.Create(new ExperimentOptions { CodeCacheFolder = root }), NullLogger<CodeCache>.Instance);

    /// <summary>A small code folder (a script, a module, an empty folder), packed.</summary>
    private static ScratchFolder Sample(out byte[] archive, out string hash)
    {
        var source = new ScratchFolder();
        source.Write("train.py", "print('train')\n", executable: true);
        source.Write("lib/model.py", "LAYERS = [64]\n");
        source.Folder("outputs");
        archive = FolderArchive.Pack(source.Path, 1 << 20);
        hash = CodeHash.Of(archive);
        return source;
    }
}
