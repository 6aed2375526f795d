namespace ExperimentCluster.CommandTrials.Archives;

/// <summary>
/// What a code upload leaves out. Always: the folders <c>.git/</c>, <c>bin/</c>, <c>obj/</c>, <c>__pycache__/</c>,
/// <c>.excl/</c> (a data folder, with its code cache) and <c>excl-results/</c>, at any depth. Then the lines of the
/// folder's <c>.exclignore</c> file, a subset of the .gitignore syntax:
/// <list type="bullet">
/// <item>one pattern per line; blank lines and lines starting with <c>#</c> are skipped; spaces around a line are dropped;</item>
/// <item><c>*</c> matches any characters but <c>/</c>, <c>?</c> one character but <c>/</c>, <c>**</c> anything
/// including <c>/</c> (<c>**/</c>: any number of folders);</item>
/// <item>a pattern without a <c>/</c> matches a file or folder of that name at any depth (<c>*.log</c>, <c>data</c>);</item>
/// <item>a leading <c>/</c>, or a <c>/</c> inside the pattern, ties it to the uploaded folder's root
/// (<c>/notes.txt</c>, <c>data/raw</c>);</item>
/// <item>a trailing <c>/</c> matches folders only (<c>checkpoints/</c>);</item>
/// <item>a leading <c>!</c> keeps what an earlier line (or a built-in rule) left out (<c>!bin/</c>): the last matching
/// line decides. A folder that is left out is not looked into, so nothing inside it can be kept.</item>
/// </list>
/// A folder that is left out takes everything in it along. Checkpoint folders are packed without ignore rules.
/// </summary>
public sealed class IgnoreRules
{
    public const string FileName = ".exclignore";

    /// <summary>The .exclignore file is read up to this size; a longer one is refused (it is a list of names, not data).</summary>
    public const int MaxFileBytes = 64 * 1024;

    public static readonly IReadOnlyList<string> BuiltIn = [".git/", "bin/", "obj/", "__pycache__/", ".excl/", "excl-results/"];

    private readonly IReadOnlyList<IgnorePattern> _patterns;

    private IgnoreRules(IReadOnlyList<IgnorePattern> patterns) => _patterns = patterns;

    /// <summary>The built-in rules, then the lines of <paramref name="text"/> (an .exclignore file); <paramref name="source"/> names it in errors.</summary>
    public static IgnoreRules Parse(string text, string source = FileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var patterns = BuiltIn.Select(p => IgnorePattern.Parse(p, "built-in rule")!).ToList();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (IgnorePattern.Parse(lines[i], $"{source} line {i + 1}") is { } pattern)
                patterns.Add(pattern);
        }
        return new IgnoreRules(patterns);
    }

    /// <summary>What a packed checkpoint folder leaves out: files still being written (the protocol's temporary names).</summary>
    public static IgnoreRules ForCheckpoints { get; } =
        new(new[] { "*.partial", "*.tmp" }.Select(p => IgnorePattern.Parse(p, "checkpoint rule")!).ToList());

    /// <summary>The rules for uploading <paramref name="folder"/>: the built-in ones and its .exclignore, if it has one.</summary>
    public static IgnoreRules ForFolder(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            return Parse("");
        try
        {
            if (new FileInfo(path).Length > MaxFileBytes)
                throw new ArchiveException($"{path}: longer than {ByteSize.Text(MaxFileBytes)}; it should list names and patterns, one per line");
            return Parse(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArchiveException($"{path}: cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Whether the entry at this '/'-separated path, relative to the uploaded folder, is left out.</summary>
    public bool IsIgnored(string relativePath, bool isFolder)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var ignored = false;
        foreach (var pattern in _patterns)
        {
            if (pattern.Negated == ignored && pattern.Matches(relativePath, isFolder))
                ignored = !pattern.Negated;
        }
        return ignored;
    }
}
