using System.Globalization;

namespace ExperimentCluster.Training.Data;

/// <summary>
/// The one rule for reading a data file (a CSV data set or a split file): the path, with every symbolic link resolved,
/// must lie under one of the data roots, and be a regular file of at most <see cref="MaxBytes"/> bytes. Anything else is
/// refused before it is opened. A sweep comes from whoever can reach the API, so its paths are untrusted: a refusal
/// names the path as given and the rule, never the file's contents, and outside the roots it never says whether the
/// file exists (that alone would let a client map the silo's disk).
/// </summary>
public sealed class DataFiles
{
    /// <summary>512 MiB: well above any data set a single-threaded trainer handles in reasonable time.</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    /// <summary>Loops of links are cut off where Linux cuts them off (ELOOP).</summary>
    private const int MaxLinkHops = 40;

    /// <summary>No roots: only the built-in and synthetic data sets. What a trainer gets when nobody configured roots.</summary>
    public static DataFiles None { get; } = new([]);

    public DataFiles(IEnumerable<string> roots, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (maxBytes < 1) throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "must be 1 or more");
        // Roots are resolved like the paths checked against them, so that a root reached through a link still matches.
        Roots = roots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => RealPath(r) ?? Path.GetFullPath(r)).Distinct(StringComparer.Ordinal).ToArray();
        MaxBytes = maxBytes;
    }

    /// <summary>Full paths with every link resolved.</summary>
    public IReadOnlyList<string> Roots { get; }

    public long MaxBytes { get; }

    /// <summary>The same rule with more roots (the embedded silo of `excl run` adds the sweep file's folder).</summary>
    public DataFiles With(IEnumerable<string> moreRoots) => new(Roots.Concat(moreRoots), MaxBytes);

    /// <summary>Checks <paramref name="path"/> without opening it; <paramref name="field"/> names the setting in errors.</summary>
    public DataFile Check(string path, string field)
    {
        ArgumentNullException.ThrowIfNull(path);
        var real = RealPath(path);
        if (real is null || !Roots.Any(root => IsUnder(real, root)))
        {
            var roots = Roots.Count == 0 ? "none are configured" : string.Join(", ", Roots);
            throw new SpecException(field, $"{path} is outside the data roots ({roots})");
        }
        FileSystemInfo info = new FileInfo(real);
        if (!info.Exists)
            info = new DirectoryInfo(real);
        if (!info.Exists)
            throw new SpecException(field, $"file not found: {path}");
        if (info is DirectoryInfo)
            throw new SpecException(field, $"{path} is not a regular file (it is a folder)");
        var length = ((FileInfo)info).Length;
        // .NET does not say whether an entry is a device, a pipe or a socket; all of them report a size of 0, and opening
        // a pipe would block. A regular data file is never empty, so a size of 0 is refused before anything is opened.
        if (length == 0)
            throw new SpecException(field, $"{path} is not a regular file with data (it is empty, a device, a pipe or a socket)");
        if (length > MaxBytes)
            throw new SpecException(field, string.Create(CultureInfo.InvariantCulture, $"{path} is larger than the limit of {MaxBytes} bytes"));
        return new DataFile(path, real, length, info.LastWriteTimeUtc);
    }

    /// <summary>Checks the path, then reads it as UTF-8 text, never more than <see cref="MaxBytes"/> bytes even if it grows.</summary>
    public string ReadAllText(string path, string field)
    {
        var file = Check(path, field);
        try
        {
            // The resolved path is opened, not the given one, so that a link changed after the check is not followed.
            using var stream = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var bytes = new byte[Math.Min(file.Length, MaxBytes) + 1];
            var read = 0;
            int n;
            while (read < bytes.Length && (n = stream.Read(bytes, read, bytes.Length - read)) > 0)
                read += n;
            if (read > MaxBytes)
                throw new SpecException(field, string.Create(CultureInfo.InvariantCulture, $"{path} is larger than the limit of {MaxBytes} bytes"));
            return new System.Text.UTF8Encoding(false).GetString(bytes, 0, read).TrimStart('\uFEFF');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The system's message names the path and the reason (permission, a file that vanished), not the contents.
            throw new SpecException(field, $"cannot read {path}: {e.Message}");
        }
    }

    private static bool IsUnder(string path, string root) =>
        path.Equals(root, StringComparison.Ordinal)
        || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// The absolute path with every symbolic link resolved, component by component, the way the kernel walks it: ".."
    /// applies to the folder a link led to, not to the text before it (Path.GetFullPath would turn "root/link/../x" into
    /// "root/x" while the kernel opens "link's target/../x"). Components that do not exist are kept as written. Null for a
    /// loop of links, which no rule can place under a root.
    /// </summary>
    private static string? RealPath(string path)
    {
        var full = Path.IsPathRooted(path) ? path : Path.Combine(Environment.CurrentDirectory, path);
        var rootText = Path.GetPathRoot(full)!;
        var current = rootText;
        var pending = new Stack<string>(Components(full[rootText.Length..]).Reverse());
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part is "" or ".")
                continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var next = Path.Combine(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++hops > MaxLinkHops)
                return null;
            if (Path.IsPathRooted(target))
                current = Path.GetPathRoot(target)!;
            foreach (var t in Components(Path.IsPathRooted(target) ? target[Path.GetPathRoot(target)!.Length..] : target).Reverse())
                pending.Push(t);
        }
        return current;
    }

    private static string[] Components(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
