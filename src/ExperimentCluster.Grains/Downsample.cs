using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains;

public static class Downsample
{
    /// <summary>
    /// At most maxPoints epochs, evenly spaced, always keeping the first and the last (0 or fewer: all).
    /// Spacing by index keeps the curve's shape for a plot without sending every epoch of a long run.
    /// </summary>
    public static IReadOnlyList<EpochRecord> Epochs(IReadOnlyList<EpochRecord> all, int maxPoints)
    {
        if (maxPoints <= 0 || all.Count <= maxPoints)
            return all.ToArray();
        if (maxPoints == 1)
            return [all[^1]];
        var picked = new EpochRecord[maxPoints];
        for (var i = 0; i < maxPoints; i++)
            picked[i] = all[(int)Math.Round(i * (all.Count - 1) / (double)(maxPoints - 1))];
        return picked;
    }
}
