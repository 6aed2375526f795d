using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.Versioning;
using ExperimentCluster.CommandTrials.Archives;

namespace ExperimentCluster.Grains.Tests.CommandTrials;

/// <summary>Packing a real folder and unpacking it again: contents, determinism, limits, what the packer refuses.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class ArchiveTests
{
    private const long Large = 16L << 20;

    [Fact]
    public void Round_trip_keeps_contents_nested_and_empty_folders_hidden_files_and_the_executable_bit()
    {
        using var source = new ScratchFolder();
        using var target = new ScratchFolder();
        var binary = new byte[300_000];
        new Random(7).NextBytes(binary);
        source.Write("a.txt", "hello\n");
        source.Write("sub/deep/b.bin", binary);
        source.Write("sub/empty.txt", "");
        source.Write(".hidden", "dot file");
        source.Write("run.sh", "#!/bin/sh\necho hi\n", executable: true);
        source.Folder("empty");
        source.Folder("sub/also-empty");

        var packed = FolderArchive.PackFolder(source.Path, Large);
        var into = target["code"];
        FolderArchive.Unpack(packed.Archive, into, FolderArchive.UnpackedBound(Large));

        Assert.Equal(
            [".hidden", "a.txt", "empty/", "run.sh", "sub/", "sub/also-empty/", "sub/deep/", "sub/deep/b.bin", "sub/empty.txt"],
            ScratchFolder.Tree(into));
        Assert.Equal(binary, File.ReadAllBytes(Path.Combine(into, "sub/deep/b.bin")));
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(into, "a.txt")));
        Assert.Equal("", File.ReadAllText(Path.Combine(into, "sub/empty.txt")));
        Assert.True((File.GetUnixFileMode(Path.Combine(into, "run.sh")) & UnixFileMode.UserExecute) != 0, "run.sh lost its executable bit");
        Assert.True((File.GetUnixFileMode(Path.Combine(into, "a.txt")) & UnixFileMode.UserExecute) == 0, "a.txt became executable");
        Assert.Equal((5, 4, 6L + binary.Length + 8 + 18), (packed.Files, packed.Folders, packed.ContentBytes));
    }

    [Fact]
    public void Names_longer_than_a_tar_header_holds_and_names_beyond_ascii_round_trip()
    {
        using var source = new ScratchFolder();
        using var target = new ScratchFolder();
        var deep = string.Join("/", Enumerable.Range(0, 9).Select(i => $"folder-with-a-rather-long-name-{i}")) + "/données-ünïcode-文件.txt";
        Assert.True(deep.Length > 255, "the name must not fit a ustar header's name and prefix");
        source.Write(deep, "deep");

        var archive = FolderArchive.Pack(source.Path, Large);
        FolderArchive.Unpack(archive, target["code"], Large);

        Assert.Equal("deep", File.ReadAllText(Path.Combine(target["code"], deep)));
        Assert.Equal(archive, FolderArchive.Pack(source.Path, Large));
    }

    [Fact]
    public void Unpacking_replaces_what_the_target_held_and_leaves_no_temporary_folder_beside_it()
    {
        using var source = new ScratchFolder();
        using var target = new ScratchFolder();
        source.Write("new.txt", "new");
        target.Write("code/old.txt", "old");

        FolderArchive.Unpack(FolderArchive.Pack(source.Path, Large), target["code"], Large);

        Assert.Equal(["code/", "code/new.txt"], ScratchFolder.Tree(target.Path));
    }

    [Fact]
    public void Packing_the_same_content_twice_gives_the_same_bytes_and_hash_whatever_the_times_and_the_folder()
    {
        using var first = new ScratchFolder();
        using var second = new ScratchFolder();
        foreach (var folder in new[] { first, second })
        {
            folder.Write("z.py", "print('z')\n");
            folder.Write("a/b.py", "print('b')\n", executable: true);
            folder.Write("a-b.txt", "sorted before a/ by its '-'");
            folder.Folder("a/empty");
        }
        var archive = FolderArchive.Pack(first.Path, Large);
        Assert.Equal(archive, FolderArchive.Pack(first.Path, Large));

        foreach (var file in Directory.EnumerateFiles(second.Path, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, new DateTime(2011, 3, 4, 5, 6, 7, DateTimeKind.Utc));
        Directory.SetLastWriteTimeUtc(second["a"], new DateTime(2012, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var again = FolderArchive.Pack(second.Path, Large);

        Assert.Equal(archive, again);
        Assert.Equal(CodeHash.Of(archive), CodeHash.Of(again));

        // A changed byte is another archive.
        second.Write("z.py", "print('Z')\n");
        Assert.NotEqual(CodeHash.Of(archive), CodeHash.Of(FolderArchive.Pack(second.Path, Large)));
    }

    [Fact]
    public void Entries_are_sorted_by_path_with_a_fixed_time_no_owner_and_a_mode_that_keeps_only_the_executable_bit()
    {
        using var source = new ScratchFolder();
        source.Write("b.txt", "b");
        source.Write("a/x.sh", "x", executable: true);
        source.Write("a-c.txt", "c");
        File.SetUnixFileMode(source["b.txt"], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite);

        var entries = TestArchives.Entries(FolderArchive.Pack(source.Path, Large));

        Assert.Equal(["a-c.txt", "a/", "a/x.sh", "b.txt"], entries.Select(e => e.Name));
        Assert.All(entries, e =>
        {
            Assert.Equal(DateTimeOffset.UnixEpoch, e.ModificationTime);
            Assert.Equal((0, 0, "", ""), (e.Uid, e.Gid, e.UserName, e.GroupName));
            // No access or change time: nothing in a header depends on when (or, unlike PAX headers, by which process) it was packed.
            Assert.Equal(default, e.AccessTime);
            Assert.Equal(default, e.ChangeTime);
        });
        var modes = entries.ToDictionary(e => e.Name, e => Convert.ToString((int)e.Mode, 8));
        Assert.Equal("644", modes["b.txt"]);
        Assert.Equal("755", modes["a/x.sh"]);
        Assert.Equal("755", modes["a/"]);
    }

    [Fact]
    public void A_folder_that_compresses_to_more_than_the_limit_is_refused_with_its_size_the_limit_and_what_to_change()
    {
        using var source = new ScratchFolder();
        var noise = new byte[200 * 1024];
        new Random(3).NextBytes(noise);
        source.Write("weights.bin", noise);

        var e = Assert.Throws<ArchiveException>(() => CodeFolder.Pack(source.Path, maxBytes: 64 * 1024));

        Assert.Contains("200 KiB of files", e.Message, StringComparison.Ordinal);
        Assert.Contains("more than the limit of 64 KiB", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(source.Path, ".exclignore"), e.Message, StringComparison.Ordinal);
        // The same folder fits under a larger limit.
        Assert.Equal(1, CodeFolder.Pack(source.Path, maxBytes: 1 << 20).Files);
    }

    [Fact]
    public void A_folder_whose_files_exceed_the_unpacked_bound_is_refused_before_it_is_compressed()
    {
        using var source = new ScratchFolder();
        // Zeros compress to almost nothing: only the bound on the raw size (16 times the limit) can stop them.
        source.Write("zeros.bin", new byte[2 << 20]);

        var e = Assert.Throws<ArchiveException>(() => FolderArchive.Pack(source.Path, 64 * 1024, remedy: "raise Example:Limit"));

        Assert.Contains("more than 1 MiB of files", e.Message, StringComparison.Ordinal);
        Assert.Contains("limit of 64 KiB", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("raise Example:Limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_archive_that_unpacks_to_more_than_the_limit_is_refused_and_leaves_no_folder()
    {
        using var source = new ScratchFolder();
        using var target = new ScratchFolder();
        source.Write("zeros.bin", new byte[2 << 20]);
        var archive = FolderArchive.Pack(source.Path, Large);
        Assert.True(archive.Length < 64 * 1024, $"{archive.Length} bytes: zeros should compress well");

        var e = Assert.Throws<ArchiveException>(() => FolderArchive.Unpack(archive, target["code"], 1 << 20));

        Assert.Contains("more than 1 MiB", e.Message, StringComparison.Ordinal);
        Assert.Empty(ScratchFolder.Tree(target.Path));
        FolderArchive.Unpack(archive, target["code"], 3 << 20);
        Assert.Equal(2 << 20, new FileInfo(target["code/zeros.bin"]).Length);
    }

    [Fact]
    public void A_symbolic_link_in_the_folder_is_an_error_naming_it_unless_the_ignore_rules_leave_it_out()
    {
        using var source = new ScratchFolder();
        source.Write("train.py", "print(1)");
        source.Folder("data");
        File.CreateSymbolicLink(source["data/link"], "/etc/passwd");
        File.CreateSymbolicLink(source["venv-python"], "/usr/bin/python3");
        Directory.CreateSymbolicLink(source["shared"], "/tmp");

        var plain = Assert.Throws<ArchiveException>(() => FolderArchive.Pack(source.Path, Large));
        Assert.Contains("a symbolic link", plain.Message, StringComparison.Ordinal);
        var code = Assert.Throws<ArchiveException>(() => CodeFolder.Pack(source.Path));
        Assert.Contains(".exclignore", code.Message, StringComparison.Ordinal);

        source.Write(".exclignore", "data/\nvenv-python\nshared/\n");
        var packed = CodeFolder.Pack(source.Path);
        Assert.Equal([".exclignore", "train.py"], TestArchives.Entries(packed.Archive).Select(e => e.Name));
    }

    [Fact]
    public void A_fifo_in_the_folder_is_an_error_naming_it_and_packing_does_not_block_on_it()
    {
        using var source = new ScratchFolder();
        source.Write("ok.txt", "");
        using (var mkfifo = Process.Start("mkfifo", [source["pipe"]]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var e = Assert.Throws<ArchiveException>(() => FolderArchive.Pack(source.Path, Large));

        Assert.Contains(Path.Combine(source.Path, "pipe"), e.Message, StringComparison.Ordinal);
        Assert.Contains("FIFO", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Packing_a_missing_folder_or_a_file_says_so()
    {
        using var source = new ScratchFolder();
        source.Write("file.txt", "x");
        Assert.Contains("no such folder", Assert.Throws<ArchiveException>(() => FolderArchive.Pack(source["nope"], Large)).Message, StringComparison.Ordinal);
        Assert.Contains("a file, not a folder", Assert.Throws<ArchiveException>(() => FolderArchive.Pack(source["file.txt"], Large)).Message, StringComparison.Ordinal);
    }
}
