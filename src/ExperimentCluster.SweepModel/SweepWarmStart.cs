using System.Text.Json.Nodes;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// The sweep file's <c>warm_start: { sweeps: [ID, ...] }</c>: earlier sweeps whose finished trials this one starts from.
/// Only the shape is checked here (ids by the id rule, no repeats); whether the sweeps exist is known where the sweep is
/// submitted, which reads them (see <see cref="WarmStartCompatibility"/> for which of their trials are kept).
/// </summary>
public static class SweepWarmStart
{
    public const string Key = "warm_start";

    /// <summary>The most sweeps one file may start from: each is read in full at submission.</summary>
    public const int MaxSweeps = 20;

    private static readonly string[] Keys = ["sweeps"];

    /// <summary>The ids listed, in order; empty when the file has no warm_start.</summary>
    public static IReadOnlyList<string> Parse(JsonNode? node)
    {
        if (node is null)
            return [];
        if (node is not JsonObject block)
            throw new SweepException(Key, "must be an object: { \"sweeps\": [\"ID\", ...] }");
        KnownKeys.RejectUnknown(block, Keys, Key + ".");
        if (block["sweeps"] is not JsonArray list)
            throw new SweepException($"{Key}.sweeps", "must be a list of sweep ids: [\"ID\", ...]");
        if (list.Count == 0)
            throw new SweepException($"{Key}.sweeps", "the list is empty; name at least one sweep, or leave warm_start out");
        if (list.Count > MaxSweeps)
            throw new SweepException($"{Key}.sweeps", $"lists {list.Count} sweeps, more than {MaxSweeps}");
        var ids = new List<string>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"{Key}.sweeps[{i}]";
            if (list[i] is not JsonValue v || !v.TryGetValue<string>(out var id))
                throw new SweepException(path, "must be a sweep id (a string)");
            if (SweepId.Problem(id) is { } problem)
                throw new SweepException(path, "not a sweep id: " + problem);
            if (ids.Contains(id, StringComparer.Ordinal))
                throw new SweepException(path, $"repeats '{id}'");
            ids.Add(id);
        }
        return ids;
    }
}
