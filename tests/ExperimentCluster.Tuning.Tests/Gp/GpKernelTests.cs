using MathNet.Numerics.LinearAlgebra;

namespace ExperimentCluster.Tuning.Tests;

public sealed class GpKernelTests
{
    private static readonly GpEncoding Encoding = new(Spaces.Mixed);

    private static List<double[]> RandomPoints(int count, ulong seed)
    {
        var rng = SplitMix64.For(seed, 1);
        var points = new List<double[]>();
        for (var i = 0; i < count; i++)
        {
            var x = new double[Encoding.Dimensions];
            Encoding.Random(x, ref rng);
            points.Add(x);
        }

        return points;
    }

    [Theory]
    [InlineData(1UL, 1.0, 1.0)]
    [InlineData(2UL, 0.01, 2.0)]
    [InlineData(3UL, 100.0, 0.5)]
    public void The_kernel_matrix_is_symmetric_and_positive_definite(ulong seed, double inverseSquaredLengthScale, double amplitude)
    {
        var kernel = new MaternKernel(Encoding, Enumerable.Repeat(inverseSquaredLengthScale, Encoding.ParameterCount).ToArray(), amplitude);
        var points = RandomPoints(40, seed);

        var k = GpRegressor.Covariance(kernel, 0, points);

        Assert.True(k.IsSymmetric());
        Assert.All(Enumerable.Range(0, points.Count), i => Assert.Equal(amplitude, k[i, i], 12));
        var eigenvalues = k.Evd(Symmetricity.Symmetric).EigenValues.Select(e => e.Real).ToArray();
        Assert.True(eigenvalues.Min() > -1e-9 * amplitude, $"smallest eigenvalue {eigenvalues.Min()}");
        _ = (k + (1e-9 * amplitude * Matrix<double>.Build.DenseIdentity(points.Count))).Cholesky();
    }

    [Fact]
    public void The_kernel_decays_with_distance_and_a_list_counts_a_different_value_as_distance_one()
    {
        var kernel = new MaternKernel(Encoding, Enumerable.Repeat(1.0, Encoding.ParameterCount).ToArray(), 1);
        var a = Encoding.Encode(Config("0.01", "\"relu\""))!;
        var near = Encoding.Encode(Config("0.012", "\"relu\""))!;
        var far = Encoding.Encode(Config("0.5", "\"relu\""))!;
        var other = Encoding.Encode(Config("0.01", "\"tanh\""))!;

        Assert.Equal(1, kernel[a, a], 12);
        Assert.True(kernel[a, near] > kernel[a, far]);
        Assert.Equal(MaternKernel.Shape(1), kernel[a, other], 12);
        Assert.Equal(kernel[a, far], kernel[far, a], 15);
    }

    [Fact]
    public void The_slope_is_the_derivative_of_the_shape()
    {
        foreach (var r2 in new[] { 1e-6, 0.01, 0.3, 1, 4 })
        {
            var numeric = (MaternKernel.Shape(r2 + 1e-7) - MaternKernel.Shape(r2 - 1e-7)) / 2e-7;
            Assert.Equal(numeric, MaternKernel.ShapeSlope(r2), 5);
        }
    }

    private static Dictionary<string, string> Config(string lr, string activation) => new()
    {
        ["learning_rate"] = lr,
        ["hidden_layers"] = "2",
        ["neurons"] = "64",
        ["batch_size"] = "32",
        ["activation"] = activation,
        ["dropout"] = "0.1",
    };
}
