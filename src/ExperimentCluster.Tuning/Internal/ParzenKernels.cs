namespace ExperimentCluster.Tuning;

/// <summary>One parameter's kernels in a <see cref="ParzenEstimator"/>: kernel k belongs to observation k, and the last one
/// is the prior. A point's coordinate for this parameter is a position on the estimator's line (numeric parameters) or
/// the index of a value (lists).</summary>
internal abstract class ParzenKernels
{
    /// <summary>The number of kernels: one per observation plus the prior.</summary>
    public abstract int Count { get; }

    /// <summary>The log density (numeric ranges) or log probability (integers, lists) of kernel <paramref name="k"/> at
    /// <paramref name="x"/>.</summary>
    public abstract double LogKernel(int k, double x);

    /// <summary>A draw from kernel <paramref name="k"/>.</summary>
    public abstract double Sample(int k, ref SplitMix64 rng);

    /// <summary>The kernels of <paramref name="domain"/> fitted to <paramref name="observations"/> (coordinates as above).</summary>
    public static ParzenKernels Fit(Domain domain, IReadOnlyList<double> observations, double priorWeight) => domain is ValuesDomain values
        ? new CategoricalKernels(values.Values.Count, observations, priorWeight)
        : new NumericKernels(domain, observations);
}
