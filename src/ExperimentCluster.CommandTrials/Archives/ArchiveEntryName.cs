namespace ExperimentCluster.CommandTrials.Archives;

/// <summary>
/// An archive entry's name as a path inside the unpack folder, or the reason it cannot be one. An entry may not be
/// absolute, name a drive, use backslashes or climb with "..": any of those could write outside the folder.
/// "." segments and doubled or trailing slashes are dropped ("./src//a.py" is "src/a.py").
/// </summary>
internal static class ArchiveEntryName
{
    /// <summary>The '/'-separated relative path; "" for the root itself ("./").</summary>
    public static string Resolve(string name)
    {
        if (name.Length == 0)
            throw Refused(name, "an empty name");
        if (name.Contains('\0', StringComparison.Ordinal))
            throw Refused(name, "a NUL character in the name");
        if (name[0] == '/')
            throw Refused(name, "an absolute path");
        if (name.Contains('\\', StringComparison.Ordinal))
            throw Refused(name, "a backslash (a Windows path)");
        if (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0]))
            throw Refused(name, "a drive letter");
        var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        if (segments.Contains(".."))
            throw Refused(name, "'..' in the path, which climbs out of the folder");
        return string.Join('/', segments);
    }

    /// <summary>A name shown in a message: quoted, control characters escaped, long names cut.</summary>
    public static string Shown(string name)
    {
        var printable = string.Concat(name.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return "'" + (printable.Length <= 200 ? printable : printable[..200] + "…") + "'";
    }

    private static ArchiveException Refused(string name, string reason) =>
        new($"archive entry {Shown(name)}: refused: {reason}");
}
