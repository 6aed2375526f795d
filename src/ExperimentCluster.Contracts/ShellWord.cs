namespace ExperimentCluster.Contracts;

/// <summary>A value written into a command excl prints, so that a POSIX shell reads it back as one word, unchanged.</summary>
public static class ShellWord
{
    /// <summary>As it is when every character is one a shell leaves alone; else in single quotes (a quote inside as '\'').</summary>
    public static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "_-./:,=@%+".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
