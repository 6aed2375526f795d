using ExperimentCluster.Contracts;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// The error for an id that names no sweep, with the sweep it was likely meant to be: ids are long and made up
/// (`lr-decades-20261205-120045-f2d9`), so a user types the start of one or slips a digit.
/// </summary>
public static class UnknownSweep
{
    public static async Task<CliException> ErrorAsync(IGrainFactory grains, string id) =>
        new($"no sweep '{id}'{Hint(id, await grains.SweepIndex().ListAsync())}");

    /// <summary>What follows "no sweep 'ID'": the one stored id that starts with it or is a slip away from it, the
    /// first few when several start with it, else what is stored.</summary>
    public static string Hint(string id, IReadOnlyCollection<string> stored)
    {
        if (stored.Count == 0)
            return ": no sweep is stored here yet";
        var starting = stored.Where(s => s.StartsWith(id, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (starting.Count == 1)
            return $" (did you mean '{starting[0]}'?)";
        if (starting.Count > 1)
            return $" ({starting.Count} stored ids start so: {string.Join(", ", starting.Take(3))}{(starting.Count > 3 ? ", ..." : "")})";
        var close = Spelling.Hint(id, stored);
        return close.Length > 0 ? close
            : stored.Count == 1 ? $": the one sweep stored here is '{stored.First()}'"
            : $": none of the {stored.Count} sweeps stored here has that id (excl list names them)";
    }
}
