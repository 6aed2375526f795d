using MathNet.Numerics;

namespace ExperimentCluster.Tuning;

/// <summary>The logarithm of expected improvement for minimisation, computed so that it stays finite and accurate far
/// below the incumbent (Ament et al. 2023, "Unexpected improvements to expected improvement"): plain EI underflows to 0
/// once the posterior mean is ~40 standard deviations worse than the best, which leaves the acquisition optimiser a flat
/// landscape; the log keeps a slope everywhere.</summary>
internal static class LogExpectedImprovement
{
    /// <summary>Below this z the closed form loses digits to cancellation and the continued fraction takes over.</summary>
    private const double TailStart = -5;

    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>log E[max(0, best - f)] for f ~ N(mean, variance); minus infinity when the variance is 0 and mean >= best.</summary>
    public static double Of(double mean, double variance, double best)
    {
        if (!(variance > 0))
        {
            return mean < best ? Math.Log(best - mean) : double.NegativeInfinity;
        }

        var sigma = Math.Sqrt(variance);
        return Standard((best - mean) / sigma) + Math.Log(sigma);
    }

    /// <summary>log h(z), h(z) = z Phi(z) + phi(z) = E[max(0, z + N(0, 1))].</summary>
    public static double Standard(double z)
    {
        if (z >= TailStart)
        {
            var cdf = 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));
            return Math.Log((z * cdf) + Math.Exp((-0.5 * z * z) - LogSqrtTwoPi));
        }

        // For t = -z > 0: h = phi(t) (1 - t R(t)) with R Mills' ratio. Laplace's continued fraction R = 1 / (t + c),
        // c = 1 / (t + 2 / (t + 3 / (t + ...))), turns the cancelling 1 - t R into c / (t + c), with no subtraction.
        var t = -z;
        var c = 0.0;
        for (var k = 60; k >= 2; k--)
        {
            c = (k - 1) / (t + c);
        }

        // After the loop c = 1 / (t + 2 / (t + ...)).
        return (-0.5 * t * t) - LogSqrtTwoPi + Math.Log(c / (t + c));
    }
}
