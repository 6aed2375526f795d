namespace ExperimentCluster.Tuning;

/// <summary>The median: the middle value, or the mean of the two middle values of an even count.</summary>
public static class Median
{
    /// <summary>The median of <paramref name="values"/> (not empty), which it sorts in place.</summary>
    public static double Of(List<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
