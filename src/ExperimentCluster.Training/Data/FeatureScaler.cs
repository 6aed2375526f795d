using MathNet.Numerics.Statistics;

namespace ExperimentCluster.Training.Data;

/// <summary>x' = (x - shift) / scale per feature, fitted on the training rows only so that validation rows stay unseen.</summary>
internal sealed record FeatureScaler(double[] Shift, double[] Scale)
{
    public static readonly string[] Names = ["standard", "minmax", "divide", "none"];

    public static FeatureScaler Fit(string mode, double divisor, double[] x, int columns, int[] rows)
    {
        var shift = new double[columns];
        var scale = new double[columns];
        Array.Fill(scale, 1.0);
        switch (mode)
        {
            case "standard":
                for (var c = 0; c < columns; c++)
                {
                    // Population standard deviation, as scikit-learn's StandardScaler; MathNet's sums run in row order.
                    var values = rows.Select(r => x[((long)r * columns) + c]).ToArray();
                    shift[c] = ArrayStatistics.Mean(values);
                    var sd = ArrayStatistics.PopulationStandardDeviation(values);
                    // A constant feature (digits has border pixels that are always 0) is centred but not scaled.
                    scale[c] = sd > 0 ? sd : 1.0;
                }
                break;
            case "minmax":
                for (var c = 0; c < columns; c++)
                {
                    var min = double.PositiveInfinity;
                    var max = double.NegativeInfinity;
                    foreach (var r in rows)
                    {
                        var v = x[((long)r * columns) + c];
                        min = Math.Min(min, v);
                        max = Math.Max(max, v);
                    }
                    shift[c] = min;
                    scale[c] = max > min ? max - min : 1.0;
                }
                break;
            case "divide":
                Array.Fill(scale, divisor);
                break;
            case "none":
                break;
            default:
                throw SpecException.UnknownName("scaling", "scaling", mode, Names);
        }
        return new FeatureScaler(shift, scale);
    }

    /// <summary>Gathers the given rows, scaled, into one contiguous row-major array.</summary>
    public T[] Apply<T>(double[] x, int columns, int[] rows) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var result = new T[(long)rows.Length * columns];
        for (var i = 0; i < rows.Length; i++)
        {
            var source = (long)rows[i] * columns;
            var target = (long)i * columns;
            for (var c = 0; c < columns; c++)
                result[target + c] = T.CreateChecked((x[source + c] - Shift[c]) / Scale[c]);
        }
        return result;
    }
}
