using System.Formats.Tar;
using System.IO.Compression;

namespace ExperimentCluster.CommandTrials.Archives;

public static partial class FolderArchive
{
    /// <summary>
    /// Unpacks the archive into <paramref name="target"/>, replacing what is there. Only regular files and folders
    /// strictly inside the target are written; an entry that is absolute, climbs out with "..", is a link (symbolic or
    /// hard), a device or a FIFO refuses the whole archive, and so does an archive that unpacks to more than
    /// <paramref name="maxBytes"/> (the uncompressed tar, headers included: see <see cref="UnpackedBound"/>).
    /// Nothing is left half-unpacked: the archive is unpacked into a temporary folder beside the target, which then takes
    /// the target's place; when the archive is refused, the target is as it was (or still absent).
    /// A file's executable bit is kept; times and owners are not.
    /// </summary>
    public static void Unpack(byte[] archive, string target, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"{target}: the root folder cannot be unpacked into", nameof(target));
        if (File.Exists(full))
            throw new ArchiveException($"{target}: a file is in the way of the folder to unpack into");
        var name = Path.GetFileName(full);
        Directory.CreateDirectory(parent);
        var temporary = Path.Combine(parent, $".{name}.unpacking-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            Extract(archive, temporary, maxBytes);
            Replace(full, temporary, Path.Combine(parent, $".{name}.replaced-{Guid.NewGuid():N}"));
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    private static void Extract(byte[] archive, string into, long maxBytes)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(archive, writable: false), CompressionMode.Decompress);
            using var limited = new ReadLimitStream(gzip, maxBytes,
                read => $"the archive unpacks to more than {ByteSize.Text(maxBytes)} (the limit); refused after {ByteSize.Text(read)}");
            using var reader = new TarReader(limited);
            while (reader.GetNextEntry() is { } entry)
                Extract(entry, into, written);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new ArchiveException($"not a gzip-compressed tar archive, or a damaged one: {e.Message}", e);
        }
    }

    private static void Extract(TarEntry entry, string into, HashSet<string> written)
    {
        var isFolder = entry.EntryType == TarEntryType.Directory;
        if (!isFolder && entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            throw new ArchiveException($"archive entry {ArchiveEntryName.Shown(entry.Name)}: refused: {Describe(entry.EntryType)}; an archive may hold only regular files and folders");
        var relative = ArchiveEntryName.Resolve(entry.Name);
        if (relative.Length == 0)
        {
            if (isFolder)
                return;
            throw new ArchiveException($"archive entry {ArchiveEntryName.Shown(entry.Name)}: refused: a file with no name");
        }
        var path = Path.GetFullPath(Path.Combine(into, relative));
        // Resolve has ruled out every way out already; this says so once more, in terms of the real paths.
        if (!path.StartsWith(into + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArchiveException($"archive entry {ArchiveEntryName.Shown(entry.Name)}: refused: it lands outside the folder");
        if (!written.Add(relative))
            throw new ArchiveException($"archive entry {ArchiveEntryName.Shown(entry.Name)}: refused: it appears twice");
        try
        {
            if (isFolder)
            {
                Directory.CreateDirectory(path);
                return;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = (entry.Mode & UnixFileMode.UserExecute) != 0 ? ExecutableMode : PlainFileMode;
            using var file = new FileStream(path, options);
            entry.DataStream?.CopyTo(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file where a folder must go (or the other way round), or a full disk.
            throw new ArchiveException($"archive entry {ArchiveEntryName.Shown(entry.Name)}: cannot be written: {e.Message}", e);
        }
    }

    /// <summary>Puts the unpacked folder in the target's place; the old target goes aside first and is deleted after.</summary>
    private static void Replace(string target, string unpacked, string aside)
    {
        var hadTarget = Directory.Exists(target);
        if (hadTarget)
            Directory.Move(target, aside);
        try
        {
            Directory.Move(unpacked, target);
        }
        catch
        {
            if (hadTarget)
                Directory.Move(aside, target);
            throw;
        }
        if (hadTarget)
            DeleteQuietly(aside);
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary folder beside the target is harmless; the error that matters is the one being reported.
        }
    }
}
