using System.Text.Json.Nodes;

namespace ExperimentCluster.SweepModel;

/// <summary>The one check that a sweep file's object (or an edit's) holds only the keys its place allows.</summary>
internal static class KnownKeys
{
    /// <summary>Throws for the first key of <paramref name="o"/> not in <paramref name="known"/>, naming its path, the
    /// nearest known key when one is close (a typo), and every known key; for another tool's key in <paramref name="elsewhere"/>,
    /// where the same thing goes here instead.</summary>
    public static void RejectUnknown(JsonObject o, string[] known, string prefix, string reason = "unknown key", IReadOnlyDictionary<string, string>? elsewhere = null)
    {
        foreach (var key in o.Select(kv => kv.Key))
        {
            if (known.Contains(key, StringComparer.Ordinal))
                continue;
            var path = prefix + (key.Length == 0 ? "\"\"" : key);
            if (elsewhere is not null && elsewhere.TryGetValue(key, out var instead))
                throw new SweepException(path, $"{reason} (another tool's sweep file?): {instead}; a sweep file here has: {string.Join(", ", known)}");
            throw new SweepException(path, reason + Spelling.Hint(key, known) + "; expected one of: " + string.Join(", ", known));
        }
    }
}
