using MathNet.Numerics.LinearAlgebra;

namespace ExperimentCluster.Tuning;

/// <summary>A Gaussian process conditioned on observations: the posterior mean and variance of the objective at any point
/// of the cube. The covariance of the observations, K + noise * I, is factored once (MathNet's Cholesky); each prediction
/// then costs one kernel row and one triangular solve.</summary>
internal sealed class GpRegressor
{
    private readonly double[][] _points;
    private readonly double[] _values;
    private readonly double[,] _lower;
    private readonly double[] _alpha;

    public GpRegressor(MaternKernel kernel, double noiseVariance, IReadOnlyList<double[]> points, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(values);
        Kernel = kernel;
        NoiseVariance = noiseVariance;
        _points = [.. points];
        _values = [.. values];
        var cholesky = Covariance(kernel, noiseVariance, _points).Cholesky();
        _lower = cholesky.Factor.ToArray();
        _alpha = cholesky.Solve(Vector<double>.Build.DenseOfArray(_values)).ToArray();
    }

    public MaternKernel Kernel { get; }

    public double NoiseVariance { get; }

    public int Count => _points.Length;

    /// <summary>K(X, X) + noise * I for the points <paramref name="points"/>.</summary>
    public static Matrix<double> Covariance(MaternKernel kernel, double noiseVariance, IReadOnlyList<double[]> points)
    {
        var n = points.Count;
        var k = Matrix<double>.Build.Dense(n, n);
        for (var i = 0; i < n; i++)
        {
            k[i, i] = kernel.Amplitude + noiseVariance;
            for (var j = 0; j < i; j++)
            {
                var value = kernel[points[i], points[j]];
                k[i, j] = value;
                k[j, i] = value;
            }
        }

        return k;
    }

    /// <summary>The posterior mean and variance of the latent objective at <paramref name="x"/> (noise not included; the
    /// variance is floored at 0 against rounding).</summary>
    public (double Mean, double Variance) Predict(ReadOnlySpan<double> x)
    {
        var n = _points.Length;
        var v = n <= 512 ? stackalloc double[n] : new double[n];
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            v[i] = Kernel[x, _points[i]];
            mean += v[i] * _alpha[i];
        }

        // v := L^-1 k(X, x); then k(x, X) K^-1 k(X, x) = v . v.
        var explained = 0.0;
        for (var i = 0; i < n; i++)
        {
            var sum = v[i];
            for (var j = 0; j < i; j++)
            {
                sum -= _lower[i, j] * v[j];
            }

            v[i] = sum / _lower[i, i];
            explained += v[i] * v[i];
        }

        return (mean, Math.Max(0, Kernel.Amplitude - explained));
    }

    /// <summary>The same process with one more observation (a running trial's assumed value), refactored.</summary>
    public GpRegressor With(double[] point, double value) =>
        new(Kernel, NoiseVariance, [.. _points, point], [.. _values, value]);
}
