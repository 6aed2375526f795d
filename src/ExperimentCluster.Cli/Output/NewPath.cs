namespace ExperimentCluster.Cli.Output;

/// <summary>Where excl writes something the user keeps (a model, a checkpoint folder): what is there stays. A file is
/// never replaced and a folder never filled, so that a second run of a command cannot overwrite the first one's result.</summary>
public static class NewPath
{
    /// <summary>Throws naming <paramref name="option"/> unless <paramref name="path"/> is free for a new file.</summary>
    public static void CheckFile(string path, string option)
    {
        if (Directory.Exists(path))
            throw new CliException($"{option}: {path} is a folder; name a file");
        if (File.Exists(path))
            throw new CliException($"{option}: {path} is there already; name another file or move it away");
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null && !Directory.Exists(parent))
            throw new CliException($"{option}: the folder {Path.GetDirectoryName(path)} does not exist");
    }

    /// <summary>Throws naming <paramref name="option"/> unless <paramref name="path"/> is absent or an empty folder.</summary>
    public static void CheckFolder(string path, string option)
    {
        if (File.Exists(path))
            throw new CliException($"{option}: {path} is a file; name a folder");
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new CliException($"{option}: the folder {path} is there already and not empty; name another folder or move it away");
    }
}
