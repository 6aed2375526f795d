namespace ExperimentCluster;

/// <summary>
/// The known name a mistyped one was most likely meant to be, for the "unknown ..." errors (`learning_rat`,
/// `trainig`, `--slot`, `asah`). One source file compiled into each library that rejects names (Training, Tuning,
/// CommandTrials, SweepModel, Cli): they share no assembly, and the dependency rule keeps it that way.
/// </summary>
internal static class Spelling
{
    /// <summary>" (did you mean 'learning_rate'?)", or "" when no known name is close: within one edit for names of
    /// up to four letters, two up to ten, three beyond (an edit: a letter added, dropped, changed, or two swapped;
    /// case, '-' and '_' aside), so that `gp` is not offered for `tpe`; or within <paramref name="maxEdits"/> when given
    /// (a file name, whose extension makes it long: `nope.yaml` is two edits from `tpe.yaml`).</summary>
    public static string Hint(string given, IEnumerable<string> known, int? maxEdits = null)
    {
        var typed = Plain(given);
        var allowed = maxEdits ?? (typed.Length <= 4 ? 1 : typed.Length <= 10 ? 2 : 3);
        string? best = null;
        var bestDistance = allowed + 1;
        foreach (var name in known)
        {
            var distance = Distance(typed, Plain(name));
            if (distance < bestDistance)
                (best, bestDistance) = (name, distance);
        }
        return best is null ? "" : $" (did you mean '{best}'?)";
    }

    private static string Plain(string name) => name.ToLowerInvariant().Replace('-', '_');

    /// <summary>The optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
