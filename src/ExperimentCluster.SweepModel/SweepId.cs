using System.Globalization;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// The one rule for sweep ids: 1 to 100 ASCII letters, digits, '-', '_' and '.', starting with a letter or a digit.
/// An id is a grain key, a URL segment on the page and the API, a file name (excl-results/ID, ID.csv) and a word printed
/// in terminals, so it can hold no separator, no "..", no space or control character, and cannot look like an option.
/// </summary>
public static class SweepId
{
    public const int MaxLength = 100;

    /// <summary>The generated id's name part is cut so that the id, with its date and random suffix, stays within the rule.</summary>
    private const int MaxSlug = 60;

    public static bool IsValid(string? id) => Problem(id) is null;

    /// <summary>Refuses an id that breaks the rule, naming the field ("id") and what is wrong.</summary>
    public static void Check(string? id)
    {
        if (Problem(id) is { } reason)
            throw new SweepException("id", reason);
    }

    /// <summary>Why <paramref name="id"/> is not an id, or null when it is one.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id))
            return "is empty; an id is 1 to 100 letters, digits, '-', '_' or '.'";
        if (id.Length > MaxLength)
            return string.Create(CultureInfo.InvariantCulture, $"is {id.Length} characters, more than {MaxLength}");
        if (!char.IsAsciiLetterOrDigit(id[0]))
            return "must start with a letter or a digit";
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
                return string.Create(CultureInfo.InvariantCulture, $"character {i + 1} ({Describe(c)}) is not allowed; use letters, digits, '-', '_' or '.'");
        }
        return null;
    }

    /// <summary>name-yyyyMMdd-HHmmss-xxxx: sortable, readable, unique enough for one person's sweeps, and always a valid id.</summary>
    public static string New(string name, DateTime utcNow, int random)
    {
        var slug = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        if (slug.Length > MaxSlug)
            slug = slug[..MaxSlug].TrimEnd('-');
        return string.Create(CultureInfo.InvariantCulture, $"{(slug.Length == 0 ? "sweep" : slug)}-{utcNow:yyyyMMdd-HHmmss}-{random & 0xffff:x4}");
    }

    /// <summary>
    /// The folder of a sweep's results under <paramref name="root"/>. The id rule keeps it inside; the check stays here too,
    /// because sweeps stored before the rule existed can still be resumed.
    /// </summary>
    public static string ResultsFolder(string root, string id)
    {
        Check(id);
        var rootFull = Path.GetFullPath(root);
        var folder = Path.GetFullPath(Path.Combine(rootFull, id));
        if (!folder.StartsWith(rootFull.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new SweepException("id", $"the results folder would leave {root}");
        return Path.Combine(root, id);
    }

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c)
        ? string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}")
        : $"'{c}'";
}
