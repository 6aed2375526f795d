namespace ExperimentCluster.Grains.Tests.CommandTrials;

/// <summary>A fresh folder under the temporary folder, deleted at the end of the test, with helpers to fill and read it.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "excl-archive-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public string Write(string relative, string text, bool executable = false) => Write(relative, System.Text.Encoding.UTF8.GetBytes(text), executable);

    public string Write(string relative, byte[] content, bool executable = false)
    {
        var file = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, content);
        if (executable && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(file, File.GetUnixFileMode(file) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return file;
    }

    public string Folder(string relative) => Directory.CreateDirectory(this[relative]).FullName;

    /// <summary>Every file and folder under <paramref name="root"/>: '/'-separated relative paths, folders ending with '/', sorted.</summary>
    public static List<string> Tree(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => System.IO.Path.GetRelativePath(root, p).Replace('\\', '/') + (Directory.Exists(p) ? "/" : ""))
            .Order(StringComparer.Ordinal)
            .ToList();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
