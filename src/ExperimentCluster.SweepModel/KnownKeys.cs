using System.Text.Json.Nodes;

namespace ExperimentCluster.SweepModel;

/// <summary>The one check that a sweep file's object (or an edit's) holds only the keys its place allows.</summary>
internal static class KnownKeys
{
    /// <summary>Throws for the first key of <paramref name="o"/> not in <paramref name="known"/>, naming its path, the
    /// nearest known key when one is close (a typo), and every known key.</summary>
    public static void RejectUnknown(JsonObject o, string[] known, string prefix, string reason = "unknown key")
    {
        foreach (var key in o.Select(kv => kv.Key))
        {
            if (!known.Contains(key, StringComparer.Ordinal))
                throw new SweepException(prefix + (key.Length == 0 ? "\"\"" : key), reason + Spelling.Hint(key, known) + "; expected one of: " + string.Join(", ", known));
        }
    }
}
