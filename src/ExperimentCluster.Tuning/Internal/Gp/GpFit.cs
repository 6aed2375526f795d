using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace ExperimentCluster.Tuning;

/// <summary>Fits the kernel's hyperparameters (one inverse squared length scale per parameter, the amplitude, the noise
/// variance) by maximising the log marginal likelihood of the standardised observations plus a weak log prior, over the
/// logarithms of the hyperparameters (so they stay positive), with MathNet's bounded BFGS and the analytic gradient
/// 0.5 tr((a a^T - K^-1) dK/dtheta), a = K^-1 y.
/// <para>The priors are the shapes Optuna's GP sampler publishes: -(0.1 / rho + 0.1 rho) on each inverse squared length
/// scale rho (a length scale near the width of the cube unless the data insist), Gamma(2, 1) on the amplitude and
/// Gamma(1.1, 30) on the noise (little noise unless the data insist). Without them a 10-point fit often explains the data
/// with one tiny length scale and interpolates spikes.</para>
/// <para>The noise variance never goes below 1e-6 (in standardised units), so the factorisation stays stable when two
/// trials share a point. The fit starts from all hyperparameters at 1 (noise 0.01) and the search is kept inside a box
/// (length scales 0.01 to 100 cube widths); should the optimiser fail, the best point it evaluated is kept.</para></summary>
internal static class GpFit
{
    public const double MinimumNoise = 1e-6;

    private const double LogRhoLow = -9.2;   // length scale 100
    private const double LogRhoHigh = 9.2;   // length scale 0.01
    private const double LogAmplitudeLow = -6.9;
    private const double LogAmplitudeHigh = 4.6;
    private const double LogNoiseLow = -16;
    private const double LogNoiseHigh = 2.3;

    public static GpRegressor Fit(GpEncoding encoding, IReadOnlyList<double[]> points, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        var p = encoding.ParameterCount;
        var start = new double[p + 2];
        start[p + 1] = Math.Log(0.01);
        var best = (Value: double.PositiveInfinity, Theta: start);
        (double, Vector<double>) Objective(Vector<double> theta)
        {
            var (loss, gradient) = NegativeLogPosterior(encoding, points, values, theta.ToArray());
            if (loss < best.Value)
            {
                best = (loss, theta.ToArray());
            }

            return (loss, Vector<double>.Build.DenseOfArray(gradient));
        }

        var lower = Vector<double>.Build.Dense(p + 2, LogRhoLow);
        var upper = Vector<double>.Build.Dense(p + 2, LogRhoHigh);
        (lower[p], upper[p]) = (LogAmplitudeLow, LogAmplitudeHigh);
        (lower[p + 1], upper[p + 1]) = (LogNoiseLow, LogNoiseHigh);
        try
        {
            new BfgsBMinimizer(1e-5, 1e-6, 1e-9, 200).FindMinimum(
                ObjectiveFunction.Gradient(Objective), lower, upper, Vector<double>.Build.DenseOfArray(start));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // MathNet ends a line search that cannot progress, or a fit out of iterations, with an exception (of several
            // kinds); a failed fit must not fail the sweep, and the best point evaluated so far stands.
        }

        return Build(encoding, points, values, best.Theta);
    }

    /// <summary>The process with the hyperparameters <paramref name="theta"/> = (log rho_1..rho_P, log amplitude,
    /// log(noise - minimum)).</summary>
    public static GpRegressor Build(GpEncoding encoding, IReadOnlyList<double[]> points, IReadOnlyList<double> values, double[] theta)
    {
        var (kernel, noise) = Unpack(encoding, theta);
        return new GpRegressor(kernel, noise, points, values);
    }

    /// <summary>Minus (log marginal likelihood + log prior) and its gradient in theta. Infinite when K is not positive
    /// definite in floating point (the optimiser then steps back).</summary>
    public static (double Loss, double[] Gradient) NegativeLogPosterior(GpEncoding encoding, IReadOnlyList<double[]> points, IReadOnlyList<double> values, double[] theta)
    {
        var p = encoding.ParameterCount;
        var n = points.Count;
        var (kernel, noise) = Unpack(encoding, theta);
        var gradient = new double[p + 2];
        var covariance = GpRegressor.Covariance(kernel, noise, points);
        MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> cholesky;
        try
        {
            cholesky = covariance.Cholesky();
        }
        catch (ArgumentException)
        {
            return (double.PositiveInfinity, gradient);
        }

        var y = Vector<double>.Build.DenseOfArray([.. values]);
        var alpha = cholesky.Solve(y);
        var inverse = cholesky.Solve(Matrix<double>.Build.DenseIdentity(n));
        var logDeterminant = 0.0;
        for (var i = 0; i < n; i++)
        {
            logDeterminant += Math.Log(cholesky.Factor[i, i]);
        }

        var logLikelihood = (-0.5 * y.DotProduct(alpha)) - logDeterminant - (0.5 * n * Math.Log(2 * Math.PI));

        // W = a a^T - K^-1; d logL / d theta = 0.5 * sum_ij W_ij dK_ij / d theta.
        var distances = new double[p];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var w = (alpha[i] * alpha[j]) - inverse[i, j];
                var weight = i == j ? 0.5 * w : w; // the lower triangle stands for both halves
                var r2 = 0.0;
                for (var q = 0; q < p; q++)
                {
                    distances[q] = MaternKernel.ParameterDistance(encoding, points[i], points[j], q);
                    r2 += distances[q] * kernel.InverseSquaredLengthScales[q];
                }

                var slope = kernel.Amplitude * MaternKernel.ShapeSlope(r2);
                for (var q = 0; q < p; q++)
                {
                    gradient[q] += weight * slope * distances[q] * kernel.InverseSquaredLengthScales[q];
                }

                gradient[p] += weight * kernel.Amplitude * MaternKernel.Shape(r2);
                if (i == j)
                {
                    gradient[p + 1] += weight * (noise - MinimumNoise);
                }
            }
        }

        // Log priors and their gradients in theta.
        var logPrior = 0.0;
        for (var q = 0; q < p; q++)
        {
            var rho = kernel.InverseSquaredLengthScales[q];
            logPrior -= (0.1 / rho) + (0.1 * rho);
            gradient[q] += (0.1 / rho) - (0.1 * rho);
        }

        logPrior += Math.Log(kernel.Amplitude) - kernel.Amplitude;
        gradient[p] += 1 - kernel.Amplitude;
        logPrior += (0.1 * Math.Log(noise)) - (30 * noise);
        gradient[p + 1] += ((0.1 / noise) - 30) * (noise - MinimumNoise);

        for (var q = 0; q < gradient.Length; q++)
        {
            gradient[q] = -gradient[q];
        }

        return (-(logLikelihood + logPrior), gradient);
    }

    private static (MaternKernel Kernel, double Noise) Unpack(GpEncoding encoding, double[] theta)
    {
        var p = encoding.ParameterCount;
        var rho = new double[p];
        for (var q = 0; q < p; q++)
        {
            rho[q] = Math.Exp(theta[q]);
        }

        return (new MaternKernel(encoding, rho, Math.Exp(theta[p])), MinimumNoise + Math.Exp(theta[p + 1]));
    }
}
