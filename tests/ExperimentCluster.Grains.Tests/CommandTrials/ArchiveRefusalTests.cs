using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ExperimentCluster.CommandTrials.Archives;

namespace ExperimentCluster.Grains.Tests.CommandTrials;

/// <summary>
/// Hostile archives, built entry by entry with System.Formats.Tar: each is refused as a whole, and the target is left
/// as it was (absent, or with its old files) with nothing half-unpacked beside it.
/// </summary>
public sealed class ArchiveRefusalTests
{
    private const long Limit = 1 << 20;

    public static TheoryData<string, string> EscapingNames => new()
    {
        { "../x", "'..'" },
        { "a/../../x", "'..'" },
        { "ok/../../../etc/x", "'..'" },
        { "/etc/x", "an absolute path" },
        { "C:/x", "a drive letter" },
        { "a\\..\\..\\x", "a backslash" },
    };

    [Theory]
    [MemberData(nameof(EscapingNames))]
    public void An_entry_that_would_land_outside_the_target_is_refused(string name, string reason)
    {
        using var scratch = new ScratchFolder();
        var archive = TestArchives.Build(File("good.txt", "fine"), File(name, "escaped"));

        AssertRefused(scratch, archive, name, reason);
        Assert.False(System.IO.File.Exists(Path.Combine(scratch.Path, "x")));
    }

    public static TheoryData<TarEntryType, string> LinkAndDeviceTypes => new()
    {
        { TarEntryType.SymbolicLink, "a symbolic link" },
        { TarEntryType.HardLink, "a hard link" },
        { TarEntryType.CharacterDevice, "a character device" },
        { TarEntryType.BlockDevice, "a block device" },
        { TarEntryType.Fifo, "a FIFO" },
    };

    [Theory]
    [MemberData(nameof(LinkAndDeviceTypes))]
    public void A_link_a_device_or_a_fifo_entry_is_refused(TarEntryType type, string reason)
    {
        using var scratch = new ScratchFolder();
        var special = new PaxTarEntry(type, "sneaky");
        if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
            special.LinkName = "/etc/passwd";

        AssertRefused(scratch, TestArchives.Build(File("good.txt", "fine"), special), "sneaky", reason);
    }

    [Fact]
    public void A_refused_archive_leaves_an_existing_target_as_it_was()
    {
        using var scratch = new ScratchFolder();
        scratch.Write("code/keep.txt", "mine");
        var archive = TestArchives.Build(File("new.txt", "theirs"), File("../x", "escaped"));

        Assert.Throws<ArchiveException>(() => FolderArchive.Unpack(archive, scratch["code"], Limit));

        Assert.Equal(["code/", "code/keep.txt"], ScratchFolder.Tree(scratch.Path));
        Assert.Equal("mine", System.IO.File.ReadAllText(scratch["code/keep.txt"]));
    }

    [Fact]
    public void An_entry_that_appears_twice_is_refused()
    {
        using var scratch = new ScratchFolder();
        AssertRefused(scratch, TestArchives.Build(File("a.txt", "one"), File("./a.txt", "two")), "./a.txt", "appears twice");
    }

    [Fact]
    public void Bytes_that_are_no_archive_are_refused_as_such()
    {
        using var scratch = new ScratchFolder();
        var e = Assert.Throws<ArchiveException>(() => FolderArchive.Unpack(Encoding.UTF8.GetBytes("not gzip at all"), scratch["code"], Limit));
        Assert.Contains("not a gzip-compressed tar archive", e.Message, StringComparison.Ordinal);
        Assert.Empty(ScratchFolder.Tree(scratch.Path));
    }

    [Fact]
    public void A_truncated_or_damaged_archive_is_refused_as_such_and_leaves_nothing_behind()
    {
        using var source = new ScratchFolder();
        using var scratch = new ScratchFolder();
        source.Write("train.py", string.Concat(Enumerable.Repeat("print('a line of code')\n", 200)));
        source.Write("lib/model.py", "LAYERS = [64]\n");
        var archive = FolderArchive.Pack(source.Path, Limit);
        var random = new Random(11);
        var damaged = Enumerable.Range(1, 40).Select(i => archive[..(archive.Length * i / 41)]).ToList();
        for (var i = 0; i < 60; i++)
        {
            var copy = (byte[])archive.Clone();
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
            damaged.Add(copy);
        }

        foreach (var bytes in damaged)
        {
            try
            {
                FolderArchive.Unpack(bytes, scratch["code"], Limit);
                // A flipped bit the format does not check (a mode, say) may still unpack: then completely, in place.
                Assert.Contains("code/", ScratchFolder.Tree(scratch.Path));
                Directory.Delete(scratch["code"], recursive: true);
            }
            catch (ArchiveException)
            {
                Assert.Empty(ScratchFolder.Tree(scratch.Path));
            }
        }
    }

    [Fact]
    public void Dot_segments_and_a_root_entry_as_other_tar_tools_write_them_are_accepted()
    {
        using var scratch = new ScratchFolder();
        var archive = TestArchives.Build(new PaxTarEntry(TarEntryType.Directory, "./"), File("./src//main.py", "print(1)"), new PaxTarEntry(TarEntryType.Directory, "./docs/"));

        FolderArchive.Unpack(archive, scratch["code"], Limit);

        Assert.Equal(["code/", "code/docs/", "code/src/", "code/src/main.py"], ScratchFolder.Tree(scratch.Path));
    }

    private static void AssertRefused(ScratchFolder scratch, byte[] archive, string entry, string reason)
    {
        var e = Assert.Throws<ArchiveException>(() => FolderArchive.Unpack(archive, scratch["code"], Limit));
        Assert.Contains($"'{entry}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        // Neither the target nor a temporary folder beside it: nothing of the archive is left.
        Assert.Empty(ScratchFolder.Tree(scratch.Path));
    }

    private static PaxTarEntry File(string name, string text) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
}
