using System.Text;
using System.Text.RegularExpressions;

namespace ExperimentCluster.CommandTrials.Archives;

/// <summary>One line of an ignore list, compiled (the syntax is described on <see cref="IgnoreRules"/>).</summary>
internal sealed class IgnorePattern
{
    private readonly Regex _regex;

    private IgnorePattern(string text, Regex regex, bool negated, bool foldersOnly, bool anchored)
    {
        Text = text;
        _regex = regex;
        Negated = negated;
        FoldersOnly = foldersOnly;
        Anchored = anchored;
    }

    /// <summary>The line as written, for messages.</summary>
    public string Text { get; }

    /// <summary>`!pattern`: a match keeps the entry that an earlier pattern left out.</summary>
    public bool Negated { get; }

    public bool FoldersOnly { get; }

    /// <summary>Matched against the whole path from the root; otherwise against the entry's own name at any depth.</summary>
    public bool Anchored { get; }

    /// <summary>The pattern of one line, or null for a blank line or a comment; a line that can match nothing is an error.</summary>
    public static IgnorePattern? Parse(string line, string where)
    {
        var text = line.Trim();
        if (text.Length == 0 || text[0] == '#')
            return null;
        var body = text;
        var negated = body[0] == '!';
        if (negated)
            body = body[1..];
        var foldersOnly = body.EndsWith('/');
        body = body.TrimEnd('/');
        var anchored = body.StartsWith('/');
        body = body.TrimStart('/');
        // As in .gitignore: a slash inside the pattern ties it to the root as well.
        anchored |= body.Contains('/', StringComparison.Ordinal);
        if (body.Length == 0)
            throw new ArchiveException($"{where}: '{text}' names nothing; write a file or folder name or a pattern such as *.log");
        if (body.Contains('\\', StringComparison.Ordinal))
            throw new ArchiveException($"{where}: '{text}': a backslash is not allowed; paths use '/'");
        var regex = new Regex("^" + ToRegex(body) + "$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        return new IgnorePattern(text, regex, negated, foldersOnly, anchored);
    }

    /// <summary>Whether the pattern names the entry at this path ('/'-separated, relative to the root).</summary>
    public bool Matches(string relativePath, bool isFolder)
    {
        if (FoldersOnly && !isFolder)
            return false;
        var subject = Anchored ? relativePath : relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return _regex.IsMatch(subject);
    }

    private static string ToRegex(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                i++;
                // "**/" is any number of whole folders, none included; a bare "**" is anything at all.
                if (i + 1 < glob.Length && glob[i + 1] == '/')
                {
                    i++;
                    regex.Append("(?:.*/)?");
                }
                else
                {
                    regex.Append(".*");
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
        return regex.ToString();
    }
}
