namespace ExperimentCluster.Tuning;

/// <summary>Keeps random and TPE from proposing a point of a finite space twice. Draw 0 is the strategy's own answer, so on
/// a continuous space nothing changes; on a finite one a taken point is redrawn (draw 1, 2, ...: still a pure function
/// of the seed, the trial number and the history) and, after 64 misses, the first free point after a seeded offset is taken.</summary>
internal static class Fresh
{
    private const int Draws = 64;

    /// <summary>Null when the finite space has no free point left.</summary>
    public static TrialConfig? Pick(FiniteSpace? finite, TakenPoints? taken, Func<int, TrialConfig> draw, ulong seed, int number)
    {
        if (finite is null || taken is null)
        {
            return draw(0);
        }

        if (taken.Count >= finite.Size)
        {
            return null;
        }

        for (var attempt = 0; attempt < Draws; attempt++)
        {
            var config = draw(attempt);
            var index = finite.IndexOf(config);
            if (index >= 0 && taken.Add(index))
            {
                return config;
            }
        }

        var size = (long)finite.RawSize;
        var rng = SplitMix64.For(seed, 0x46524553485F5343UL, (ulong)number);
        var start = (long)rng.NextBelow((ulong)size);
        for (long k = 0; k < size; k++)
        {
            var index = (start + k) % size;
            if (finite.IsCanonical(index) && taken.Add(index))
            {
                return finite.Point(index);
            }
        }

        return null;
    }

    /// <summary>On a continuous space: draw 0, unless a known trial or an earlier pick of this request took exactly that
    /// configuration; then draws 1, 2, ... until one is new (after 64, the last). <paramref name="seen"/> holds the taken
    /// configurations' keys and takes the pick's.</summary>
    public static TrialConfig Unseen(HashSet<string> seen, Func<int, TrialConfig> draw)
    {
        var config = draw(0);
        for (var attempt = 1; attempt < Draws && !seen.Add(config.Key); attempt++)
        {
            config = draw(attempt);
        }

        return config;
    }

    /// <summary>The keys of the configurations <paramref name="context"/>'s known trials took.</summary>
    public static HashSet<string> Seen(SearchContext context) =>
        context.Known.Select(t => TrialConfig.From(t.Config).Key).ToHashSet(StringComparer.Ordinal);

    public static bool Exhausted(SearchContext context)
    {
        var finite = FiniteSpace.TryCreate(context.Space);
        return finite is not null && finite.Size <= context.Known.Count && finite.Taken(context).Count >= finite.Size;
    }
}
