using System.Formats.Tar;

namespace ExperimentCluster.CommandTrials.Archives;

/// <summary>
/// The entries a packed folder will hold, sorted by path: every file and folder under the root that the ignore rules
/// keep. A symbolic link, a device, a FIFO or a socket is an error naming its path. The walk stops as soon as the files'
/// sizes add up to more than the bound, so that packing a huge folder by mistake fails fast instead of reading it all.
/// </summary>
internal sealed class FolderWalk
{
    // Hidden files (".env", ".exclignore") are files like any other: nothing is skipped by its attributes.
    private static readonly EnumerationOptions Children = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    private readonly string _root;
    private readonly string _shownRoot;
    private readonly IgnoreRules? _ignore;
    private readonly long _bound;
    private readonly List<Entry> _entries = [];

    private FolderWalk(string root, string shownRoot, IgnoreRules? ignore, long bound)
    {
        _root = root;
        _shownRoot = shownRoot;
        _ignore = ignore;
        _bound = bound;
    }

    /// <summary>Name: '/'-separated and relative to the root, without a trailing '/'.</summary>
    internal sealed record Entry(string Name, string FullPath, bool IsFolder, bool Executable, long Length);

    public IReadOnlyList<Entry> Entries => _entries;

    /// <summary>The files' sizes added up; more than the bound when the walk stopped early.</summary>
    public long ContentBytes { get; private set; }

    public static FolderWalk Run(string folder, IgnoreRules? ignore, long bound)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
            throw new ArchiveException(File.Exists(root) ? $"{folder}: a file, not a folder" : $"{folder}: no such folder");
        var walk = new FolderWalk(root, folder, ignore, bound);
        walk.Visit(root, "");
        walk._entries.Sort((a, b) => string.CompareOrdinal(SortKey(a), SortKey(b)));
        return walk;
    }

    // The archive's own names: a folder's ends with '/'.
    private static string SortKey(Entry e) => e.IsFolder ? e.Name + "/" : e.Name;

    private void Visit(string directory, string prefix)
    {
        FileSystemInfo[] children;
        try
        {
            children = new DirectoryInfo(directory).GetFileSystemInfos("*", Children);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArchiveException($"{Shown(prefix.TrimEnd('/'))}: cannot be listed: {e.Message}", e);
        }
        foreach (var child in children)
        {
            if (ContentBytes > _bound)
                return;
            var name = prefix + child.Name;
            if (child.Name.Contains('\\', StringComparison.Ordinal))
                throw new ArchiveException($"{Shown(name)}: a backslash in a name cannot be packed (an unpack refuses it as a Windows path); rename it");
            var isFolder = child is DirectoryInfo;
            if (_ignore?.IsIgnored(name, isFolder) == true)
                continue;
            if (child.LinkTarget is { } target)
                throw new ArchiveException($"{Shown(name)}: a symbolic link (to {target}); an archive holds only regular files and folders, so that an unpack cannot write outside its folder" + Remedy(name));
            if (isFolder)
            {
                _entries.Add(new Entry(name, child.FullName, IsFolder: true, Executable: false, Length: 0));
                Visit(child.FullName, name + "/");
                continue;
            }
            var file = (FileInfo)child;
            if (file.Length == 0 && SpecialKind(file.FullName) is { } kind)
                throw new ArchiveException($"{Shown(name)}: {kind}; an archive holds only regular files and folders" + Remedy(name));
            _entries.Add(new Entry(name, file.FullName, IsFolder: false, IsExecutable(file), file.Length));
            ContentBytes += file.Length;
        }
    }

    private string Shown(string name) => name.Length == 0 ? _shownRoot : Path.Combine(_shownRoot, name);

    private string Remedy(string name) => _ignore is null ? "" : $"; leave it out with a line /{name} in {IgnoreRules.FileName}";

    private static bool IsExecutable(FileInfo file) =>
        !OperatingSystem.IsWindows() && (file.UnixFileMode & UnixFileMode.UserExecute) != 0;

    /// <summary>
    /// What a zero-length entry that is not a folder really is, or null for an empty regular file. .NET shows FIFOs,
    /// devices and sockets as files of length 0 and has no public call for their type, and opening a FIFO to look would
    /// block; the tar writer reads the type with lstat without opening anything but a regular file, so it is asked.
    /// </summary>
    private static string? SpecialKind(string path)
    {
        try
        {
            using var scratch = new MemoryStream();
            using (var writer = new TarWriter(scratch, TarEntryFormat.Pax, leaveOpen: true))
            {
                writer.WriteEntry(path, "probe");
            }
            scratch.Position = 0;
            using var reader = new TarReader(scratch);
            var type = reader.GetNextEntry()!.EntryType;
            return type == TarEntryType.RegularFile ? null : FolderArchive.Describe(type);
        }
        catch (IOException)
        {
            // The writer refuses a socket (and anything else it has no entry type for).
            return "not a regular file (a socket?)";
        }
    }
}
