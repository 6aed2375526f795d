using System.Formats.Tar;
using System.IO.Compression;

namespace ExperimentCluster.CommandTrials.Archives;

public static partial class FolderArchive
{
    /// <summary>
    /// The folder's files and folders (less what <paramref name="ignore"/> leaves out) as a gzip-compressed tar of at most
    /// <paramref name="maxBytes"/>. <paramref name="remedy"/> ends the message of a folder that is too large: what to
    /// change (the setting, the option, the .exclignore file).
    /// </summary>
    public static byte[] Pack(string folder, long maxBytes, IgnoreRules? ignore = null, string? remedy = null) =>
        PackFolder(folder, maxBytes, ignore, remedy).Archive;

    /// <inheritdoc cref="Pack"/>
    public static PackedFolder PackFolder(string folder, long maxBytes, IgnoreRules? ignore = null, string? remedy = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var bound = UnpackedBound(maxBytes);
        var walk = FolderWalk.Run(folder, ignore, bound);
        if (walk.ContentBytes > bound)
        {
            throw new ArchiveException(TooLarge(folder,
                $"holds more than {ByteSize.Text(bound)} of files ({ExpansionFactor} times the limit of {ByteSize.Text(maxBytes)} on its compressed archive)", remedy));
        }

        // Two limits: on the compressed bytes (what is stored) and on the tar itself (what an unpack will allow).
        using var output = new MemoryStream();
        var compressed = new WriteLimitStream(output, maxBytes);
        var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true);
        var raw = new WriteLimitStream(gzip, bound);
        using (gzip)
        // GNU, not PAX: .NET names each PAX extended header after the packing process's id ("PaxHeaders.<pid>/..."),
        // so the same folder packed by two processes (two `excl submit`s) gave two archives and two hashes. A GNU entry
        // holds only what is set below (a long name goes in a fixed "././@LongLink" entry).
        using (var tar = new TarWriter(raw, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var entry in walk.Entries)
            {
                if (raw.Exceeded || compressed.Exceeded)
                    break;
                Write(tar, entry, folder);
            }
        }
        if (raw.Exceeded)
            throw new ArchiveException(TooLarge(folder, $"unpacks to more than {ByteSize.Text(bound)} ({ExpansionFactor} times the limit of {ByteSize.Text(maxBytes)})", remedy));
        if (compressed.Exceeded)
            throw new ArchiveException(TooLarge(folder, $"holds {ByteSize.Text(walk.ContentBytes)} of files, which compress to more than the limit of {ByteSize.Text(maxBytes)}", remedy));
        return new PackedFolder(output.ToArray(), walk.Entries.Count(e => !e.IsFolder), walk.Entries.Count(e => e.IsFolder), walk.ContentBytes);
    }

    private static void Write(TarWriter tar, FolderWalk.Entry entry, string folder)
    {
        var header = new GnuTarEntry(entry.IsFolder ? TarEntryType.Directory : TarEntryType.RegularFile, entry.IsFolder ? entry.Name + "/" : entry.Name)
        {
            ModificationTime = FixedTime,
            Mode = entry.IsFolder ? FolderMode : entry.Executable ? ExecutableMode : PlainFileMode,
            Uid = 0,
            Gid = 0,
            UserName = "",
            GroupName = "",
        };
        if (entry.IsFolder)
        {
            tar.WriteEntry(header);
            return;
        }
        try
        {
            using var content = new FileStream(entry.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
            header.DataStream = content;
            tar.WriteEntry(header);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArchiveException($"{Path.Combine(folder, entry.Name)}: cannot be read: {e.Message}", e);
        }
    }

    private static string TooLarge(string folder, string what, string? remedy) =>
        $"{folder}: {what}" + (remedy is null ? "" : "; " + remedy);
}
