namespace ExperimentCluster.Tuning;

/// <summary>The Matérn-5/2 kernel with one length scale per parameter (automatic relevance determination):
/// k(a, b) = amplitude * (1 + s + s^2 / 3) * exp(-s), s = sqrt(5 * r2), r2 = sum over parameters of d_p(a, b) / length_p^2.
/// For a real or integer parameter d_p is its squared difference; for a list it is 1 when the values differ and 0 when they
/// agree (half the squared distance of the one-hot columns), so a list of k values has one length scale, not k.
/// Matérn-5/2 rather than the squared exponential: twice differentiable, so it does not assume the very smooth loss
/// surfaces the squared exponential does (the choice of Snoek et al. 2012 and of Optuna's GP sampler).</summary>
internal sealed class MaternKernel
{
    private static readonly double Sqrt5 = Math.Sqrt(5);

    public MaternKernel(GpEncoding encoding, double[] inverseSquaredLengthScales, double amplitude)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        ArgumentNullException.ThrowIfNull(inverseSquaredLengthScales);
        if (inverseSquaredLengthScales.Length != encoding.ParameterCount)
        {
            throw new ArgumentException("one length scale per parameter", nameof(inverseSquaredLengthScales));
        }

        Encoding = encoding;
        InverseSquaredLengthScales = inverseSquaredLengthScales;
        Amplitude = amplitude;
    }

    public GpEncoding Encoding { get; }

    /// <summary>1 / length_p^2 per parameter: the form the fit works in (a zero switches a parameter off).</summary>
    public double[] InverseSquaredLengthScales { get; }

    /// <summary>The prior variance k(x, x) of every point.</summary>
    public double Amplitude { get; }

    public double this[ReadOnlySpan<double> a, ReadOnlySpan<double> b]
    {
        get
        {
            var r2 = 0.0;
            for (var p = 0; p < InverseSquaredLengthScales.Length; p++)
            {
                r2 += ParameterDistance(Encoding, a, b, p) * InverseSquaredLengthScales[p];
            }

            return Amplitude * Shape(r2);
        }
    }

    /// <summary>The kernel's shape as a function of the scaled squared distance: (1 + s + s^2 / 3) exp(-s), s = sqrt(5 r2).</summary>
    public static double Shape(double r2)
    {
        var s = Sqrt5 * Math.Sqrt(r2);
        return (1 + s + (s * s / 3)) * Math.Exp(-s);
    }

    /// <summary>d Shape / d r2 = -(5 / 6) (1 + s) exp(-s): finite at r2 = 0, where the derivative in s would not be.</summary>
    public static double ShapeSlope(double r2)
    {
        var s = Sqrt5 * Math.Sqrt(r2);
        return -5.0 / 6.0 * (1 + s) * Math.Exp(-s);
    }

    /// <summary>d_p(a, b): the squared difference of a numeric parameter, 0 or 1 for a list.</summary>
    public static double ParameterDistance(GpEncoding encoding, ReadOnlySpan<double> a, ReadOnlySpan<double> b, int parameter)
    {
        var at = encoding.Offset(parameter);
        var sum = 0.0;
        for (var c = at; c < at + encoding.Width(parameter); c++)
        {
            var d = a[c] - b[c];
            sum += d * d;
        }

        return encoding.IsCategorical(parameter) ? 0.5 * sum : sum;
    }
}
