namespace ExperimentCluster.Tuning.Tests;

public sealed class GpFitTests
{
    private static readonly SearchSpace Plane = new(
    [
        new Parameter("a", new UniformDomain(0, 1)),
        new Parameter("b", new LogUniformDomain(1e-3, 1)),
    ]);

    private static double Function(double[] x) => Math.Sin(3 * x[0]) + Math.Pow(x[1] - 0.4, 2);

    private static (GpEncoding Encoding, List<double[]> Points, List<double> Values) Data(int count)
    {
        var encoding = new GpEncoding(Plane);
        var rng = SplitMix64.For(7, 7);
        var points = new List<double[]>();
        for (var i = 0; i < count; i++)
        {
            var x = new double[encoding.Dimensions];
            encoding.Random(x, ref rng);
            points.Add(x);
        }

        var values = points.Select(Function).ToList();
        var mean = values.Average();
        var sd = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        return (encoding, points, values.Select(v => (v - mean) / sd).ToList());
    }

    [Fact]
    public void A_fitted_process_interpolates_noise_free_data()
    {
        var (encoding, points, values) = Data(15);

        var model = GpFit.Fit(encoding, points, values);

        Assert.True(model.NoiseVariance < 1e-3, $"noise variance {model.NoiseVariance} on noise-free data");
        for (var i = 0; i < points.Count; i++)
        {
            var (mean, variance) = model.Predict(points[i]);
            Assert.True(Math.Abs(values[i] - mean) < 0.02, $"predicts {mean} where {values[i]} was observed");
            Assert.True(variance < 1e-2, $"variance {variance} at an observed point");
        }

        // Between the observations it still predicts the smooth function (standardised), and is unsure far from them.
        var (_, farVariance) = model.Predict([0.5, 1.0]);
        Assert.True(farVariance > model.Predict(points[0]).Variance);
    }

    [Fact]
    public void The_gradient_of_the_fit_objective_matches_finite_differences()
    {
        var (encoding, points, values) = Data(12);
        double[] theta = [0.3, -0.7, 0.2, Math.Log(0.05)];

        var (_, gradient) = GpFit.NegativeLogPosterior(encoding, points, values, theta);

        for (var q = 0; q < theta.Length; q++)
        {
            var up = (double[])theta.Clone();
            var down = (double[])theta.Clone();
            up[q] += 1e-6;
            down[q] -= 1e-6;
            var numeric = (GpFit.NegativeLogPosterior(encoding, points, values, up).Loss - GpFit.NegativeLogPosterior(encoding, points, values, down).Loss) / 2e-6;
            Assert.True(Math.Abs(numeric - gradient[q]) < 1e-4 * Math.Max(1, Math.Abs(numeric)), $"theta[{q}]: analytic {gradient[q]}, numeric {numeric}");
        }
    }

    [Fact]
    public void Fitting_improves_the_objective_over_the_starting_point()
    {
        var (encoding, points, values) = Data(12);
        double[] start = [0, 0, 0, Math.Log(0.01)];

        var model = GpFit.Fit(encoding, points, values);
        var fitted = new[] { Math.Log(model.Kernel.InverseSquaredLengthScales[0]), Math.Log(model.Kernel.InverseSquaredLengthScales[1]), Math.Log(model.Kernel.Amplitude), Math.Log(model.NoiseVariance - GpFit.MinimumNoise) };

        Assert.True(GpFit.NegativeLogPosterior(encoding, points, values, fitted).Loss < GpFit.NegativeLogPosterior(encoding, points, values, start).Loss);
    }
}
