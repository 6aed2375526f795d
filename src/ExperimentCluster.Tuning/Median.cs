namespace ExperimentCluster.Tuning;

/// <summary>The median: the middle value, or the mean of the two middle values of an even count.</summary>
public static class Median
{
    /// <summary>The median of <paramref name="values"/> (not empty), which it sorts in place.</summary>
    public static double Of(List<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        values.Sort();
        return OfSorted(values);
    }

    /// <summary>The median of <paramref name="sorted"/> (not empty), already in ascending order.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
