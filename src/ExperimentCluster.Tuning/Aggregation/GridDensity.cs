namespace ExperimentCluster.Tuning;

/// <summary>
/// A one-dimensional Parzen density of a set of parameter values, evaluated on a fixed grid of cells (a range cut into
/// cells, on the log scale when the parameter is log-scaled; or one cell per listed value). What PED-ANOVA compares:
/// the density of the best runs against that of all runs, cell by cell. Each density mixes one kernel per observed cell
/// (weighted by how many values fell there) with one broad prior kernel of weight <see cref="PriorWeight"/>, so that a
/// handful of runs gives a smooth density that never reaches zero and the ratio of two densities stays finite.
/// </summary>
internal static class GridDensity
{
    /// <summary>The prior counts as one observation, as in TPE's Parzen estimators.</summary>
    public const double PriorWeight = 1.0;

    /// <summary>Cells a continuous range is cut into: fine enough to separate a good region from a bad one, coarse
    /// enough that a few runs still land in shared cells (PED-ANOVA's paper and Optuna use 50 too).</summary>
    public const int RangeCells = 50;

    /// <summary>The density over <paramref name="cells"/> cells of values that fell into the given cells (indices may repeat).</summary>
    public static double[] OfRange(IReadOnlyList<int> observed, int cells)
    {
        var density = new double[cells];
        var n = observed.Count;
        // Scott's rule for the kernel width, in cells: 1.059 min(sd, IQR/1.34) n^(-1/5). TPE's own bandwidth rule is
        // made for sampling (wide, to explore); for measuring where the good runs concentrate a density that follows the
        // data is wanted. At least half a cell, so that one value still spreads over its own cell.
        var width = Math.Max(0.5, n > 1 ? 1.059 * Spread(observed) * Math.Pow(n, -0.2) : 0);
        foreach (var group in observed.GroupBy(i => i))
            AddKernel(density, group.Key, width, group.Count());
        // The prior: centred on the range, as wide as the range, nearly flat.
        AddKernel(density, (cells - 1) / 2.0, cells, PriorWeight);
        return Normalised(density);
    }

    /// <summary>The density over <paramref name="categories"/> listed values: each value's count plus the prior spread
    /// evenly over all of them (a categorical has no distance between values, so its kernel is the count itself).</summary>
    public static double[] OfCategories(IReadOnlyList<int> observed, int categories)
    {
        var density = new double[categories];
        foreach (var i in observed)
            density[i] += 1;
        for (var i = 0; i < categories; i++)
            density[i] += PriorWeight / categories;
        return Normalised(density);
    }

    /// <summary>min(sample sd, IQR / 1.34): the IQR keeps a few outlying values from widening every kernel.</summary>
    private static double Spread(IReadOnlyList<int> observed)
    {
        var sorted = observed.Select(i => (double)i).Order().ToArray();
        var mean = sorted.Average();
        var sd = Math.Sqrt(sorted.Sum(x => (x - mean) * (x - mean)) / (sorted.Length - 1));
        var iqr = Quantile(sorted, 0.75) - Quantile(sorted, 0.25);
        return iqr > 0 ? Math.Min(sd, iqr / 1.34) : sd;
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(sorted.Length - 1, low + 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    /// <summary>A Gaussian kernel cut to the grid and renormalised there (a value near an edge keeps its whole weight).</summary>
    private static void AddKernel(double[] density, double centre, double width, double weight)
    {
        var kernel = new double[density.Length];
        double sum = 0;
        for (var i = 0; i < kernel.Length; i++)
        {
            var z = (i - centre) / width;
            sum += kernel[i] = Math.Exp(-0.5 * z * z);
        }
        for (var i = 0; i < kernel.Length; i++)
            density[i] += weight * kernel[i] / sum;
    }

    private static double[] Normalised(double[] density)
    {
        var sum = density.Sum();
        for (var i = 0; i < density.Length; i++)
            density[i] /= sum;
        return density;
    }
}
