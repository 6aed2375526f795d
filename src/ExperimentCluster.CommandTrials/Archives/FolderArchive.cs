using System.Formats.Tar;

namespace ExperimentCluster.CommandTrials.Archives;

/// <summary>
/// A folder as one byte array (a gzip-compressed tar) and back: the user's code on its way to the silos, and a command
/// trial's checkpoint folder on its way to storage.
/// <para>
/// Packing is deterministic, so that the same content always gives the same bytes and so the same <see cref="CodeHash"/>:
/// entries are sorted by their path (ordinal), and times, owners and modes are fixed; only a file's executable bit is
/// kept; the tar is in the GNU format, whose headers hold nothing else (PAX headers name the packing process). Only regular files and folders go in: a symbolic link (which could make an unpack write outside its folder) or
/// a device is an error naming its path. (The same bytes need the same zlib: another .NET version may compress
/// differently and so give another hash, which only means one more upload.)
/// </para>
/// <para>
/// Unpacking trusts nothing in the archive: see <see cref="Unpack"/>.
/// </para>
/// </summary>
public static partial class FolderArchive
{
    /// <summary>
    /// How much bigger than its compressed limit an archive may be unpacked: source code compresses 3 to 10 times, so
    /// 16 leaves room for any real folder and still stops a decompression bomb.
    /// </summary>
    public const int ExpansionFactor = 16;

    /// <summary>Every entry gets this time; unpacked files get the time they are written instead.</summary>
    internal static readonly DateTimeOffset FixedTime = DateTimeOffset.UnixEpoch;

    internal const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    internal const UnixFileMode ExecutableMode = FolderMode;

    internal const UnixFileMode PlainFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// The most an archive packed under <paramref name="packedLimit"/> may unpack to (the uncompressed tar: contents and
    /// headers). Packing refuses a folder above it, so whatever packs also unpacks with this bound.
    /// </summary>
    public static long UnpackedBound(long packedLimit) =>
        packedLimit > long.MaxValue / ExpansionFactor ? long.MaxValue : packedLimit * ExpansionFactor;

    internal static string Describe(TarEntryType type) => type switch
    {
        TarEntryType.SymbolicLink => "a symbolic link",
        TarEntryType.HardLink => "a hard link",
        TarEntryType.CharacterDevice => "a character device",
        TarEntryType.BlockDevice => "a block device",
        TarEntryType.Fifo => "a FIFO (named pipe)",
        _ => $"an entry of type {type}",
    };
}

/// <summary>A packed folder: the archive, and what went into it (for a line that tells the user).</summary>
public sealed record PackedFolder(byte[] Archive, int Files, int Folders, long ContentBytes);
