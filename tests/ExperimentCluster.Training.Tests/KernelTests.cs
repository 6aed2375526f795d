using System.Numerics;
using System.Runtime.Intrinsics;

using ExperimentCluster.Training.Models;
using ExperimentCluster.Training.Numerics;

using MathNet.Numerics.LinearAlgebra;

namespace ExperimentCluster.Training.Tests;

public sealed class KernelTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 3, 5, 7 }, { 4, 16, 8 }, { 7, 10, 64 }, { 32, 32, 64 }, { 33, 65, 17 }, { 256, 128, 128 }, { 5, 129, 3 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gemm_with_bias_matches_the_MathNet_product(int m, int n, int k)
    {
        var random = new Random(m * 1000 + n * 10 + k);
        var a = Matrix<double>.Build.Dense(m, k, (_, _) => random.NextDouble() - 0.5);
        var b = Matrix<double>.Build.Dense(k, n, (_, _) => random.NextDouble() - 0.5);
        var bias = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(n, _ => random.NextDouble());
        var expected = a * b;
        var pad = DenseKernels.Padded<double>(n);
        var bArray = RowMajor(b, n, extra: pad);
        var biasArray = bias.ToArray().Concat(new double[pad]).ToArray();
        var c = new double[m * pad];
        DenseKernels.Gemm<double>(RowMajor(a, k), k, 1, bArray, n, biasArray, c, pad, m, n, k);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
                Assert.Equal(expected[i, j] + bias[j], c[(i * pad) + j], 1e-12);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gemm_over_a_transposed_left_operand_matches_the_MathNet_product(int m, int n, int k)
    {
        // The weight-gradient form: A is stored k × m and read down its columns.
        var random = new Random(m + n + k);
        var at = Matrix<float>.Build.Dense(k, m, (_, _) => (float)(random.NextDouble() - 0.5));
        var b = Matrix<float>.Build.Dense(k, n, (_, _) => (float)(random.NextDouble() - 0.5));
        var expected = at.TransposeThisAndMultiply(b);
        var c = new float[m * n];
        DenseKernels.Gemm<float>(RowMajor(at, m), 1, m, RowMajor(b, n, extra: DenseKernels.PadUnit<float>()), n, default, c, n, m, n, k);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
                Assert.Equal(expected[i, j], c[(i * n) + j], 1e-4f);
    }

    [Fact]
    public void Gemm_writes_no_element_outside_the_result()
    {
        // Partial vectors at the right edge must not spill into the next row or past the end.
        const int M = 5, N = 10, K = 3;
        var c = Enumerable.Repeat(-7.0f, (M * N) + 40).ToArray();
        var a = Enumerable.Repeat(1.0f, M * K).ToArray();
        var b = Enumerable.Repeat(1.0f, (K * N) + 16).ToArray();
        DenseKernels.Gemm<float>(a, K, 1, b, N, default, c.AsSpan(0, (M * N) + 40), N, M, N, K);
        Assert.All(c.Take(M * N), v => Assert.Equal(3f, v));
        Assert.All(c.Skip(M * N), v => Assert.Equal(-7f, v));
    }

    [Fact]
    public void Gemm_gives_the_same_bits_on_every_vector_width()
    {
        const int M = 37, N = 70, K = 53;
        var random = new Random(5);
        var a = Enumerable.Range(0, M * K).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, (K * N) + 16).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var bias = Enumerable.Range(0, N + 16).Select(_ => (float)random.NextDouble()).ToArray();
        float[] Run(Action<float[]> gemm)
        {
            var c = new float[M * N];
            gemm(c);
            return c;
        }
        var wide = Run(c => DenseKernels.GemmCore<Simd512<float>, float>(ref a[0], K, 1, ref b[0], N, ref bias[0], true, ref c[0], N, M, N, K, wide: true));
        var mid = Run(c => DenseKernels.GemmCore<Simd256<float>, float>(ref a[0], K, 1, ref b[0], N, ref bias[0], true, ref c[0], N, M, N, K, wide: false));
        var narrow = Run(c => DenseKernels.GemmCore<Simd128<float>, float>(ref a[0], K, 1, ref b[0], N, ref bias[0], true, ref c[0], N, M, N, K, wide: false));
        Assert.Equal(wide, mid);
        Assert.Equal(wide, narrow);
    }

    [Fact]
    public void Column_sums_and_transpose_match_MathNet()
    {
        var random = new Random(3);
        var x = Matrix<double>.Build.Dense(9, 13, (_, _) => random.NextDouble());
        var sums = new double[13];
        DenseKernels.ColumnSums<double>(RowMajor(x, 13, extra: 16), 13, 9, 13, sums);
        var expected = x.ColumnSums();
        for (var j = 0; j < 13; j++) Assert.Equal(expected[j], sums[j], 1e-12);
        var t = new double[13 * 9];
        DenseKernels.Transpose<double>(RowMajor(x, 13), 13, 9, 13, t, 9);
        Assert.Equal(RowMajor(x.Transpose(), 9), t);
    }

    public static TheoryData<string> Activations => new(ModelCatalog.Activations);

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activation_matches_its_formula_within_float_rounding(string name)
    {
        var activation = ModelCatalog.CreateActivation(new TrainingSpec { Activation = name, LeakySlope = 0.1, EluAlpha = 1.5 });
        var inputs = Enumerable.Range(0, 64).Select(i => (i - 32) / 4.0).Concat([-1000.0, -80, 80, 1000]).ToArray();
        var padded = inputs.Concat(new double[DenseKernels.Padded<double>(inputs.Length) - inputs.Length]).ToArray();
        activation.Forward<double>(padded);
        for (var i = 0; i < inputs.Length; i++)
        {
            var z = inputs[i];
            var expected = name switch
            {
                "relu" => Math.Max(z, 0),
                "leaky_relu" => z > 0 ? z : 0.1 * z,
                "elu" => z > 0 ? z : 1.5 * (Math.Exp(z) - 1),
                "tanh" => Math.Tanh(z),
                _ => 1 / (1 + Math.Exp(-z)),
            };
            Assert.Equal(expected, padded[i], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activation_gives_the_same_bits_in_every_width_it_may_run_at(string name)
    {
        // The exp-based activations use the BCL's vector exp; this pins that each lane's result does not depend on the width.
        var activation = ModelCatalog.CreateActivation(new TrainingSpec { Activation = name });
        var random = new Random(11);
        var values = Enumerable.Range(0, 64).Select(_ => (float)((random.NextDouble() - 0.5) * 20)).ToArray();
        var reference = values.ToArray();
        activation.Forward<float>(reference);
        if (Vector512.IsHardwareAccelerated)
        {
            // Run through 256- and 128-bit lanes by hand and compare.
            foreach (var width in new[] { 8, 4 })
            {
                for (var start = 0; start < values.Length; start += 16)
                {
                    var chunk = values.AsSpan(start, 16).ToArray();
                    var viaNarrow = width == 8 ? ApplyNarrow<Simd256<float>>(name, chunk) : ApplyNarrow<Simd128<float>>(name, chunk);
                    Assert.Equal(reference.AsSpan(start, 16).ToArray(), viaNarrow);
                }
            }
        }
    }

    [Fact]
    public void Sum_of_squares_runs_in_a_fixed_lane_order()
    {
        var values = Enumerable.Range(1, 37).Select(i => (float)i).ToArray();
        Assert.Equal(Enumerable.Range(1, 37).Sum(i => (double)i * i), DenseKernels.SumOfSquares<float>(values));
    }

    private static float[] ApplyNarrow<TV>(string name, float[] chunk) where TV : struct, ISimdVector<TV, float>
    {
        var result = new float[chunk.Length];
        for (var i = 0; i < chunk.Length; i += TV.Count)
        {
            var x = TV.Load(ref chunk[0], i);
            var one = TV.Broadcast(1f);
            var y = name switch
            {
                "relu" => TV.Max(x, TV.Zero),
                "leaky_relu" => TV.SelectPositive(x, x, TV.Multiply(x, TV.Broadcast(0.01f))),
                "elu" => TV.SelectPositive(x, x, TV.Subtract(TV.Exp(x), one)),
                "tanh" => TV.CopySignOf(x, TV.Subtract(one, TV.Divide(TV.Broadcast(2f), TV.Add(TV.Exp(TV.Multiply(TV.Broadcast(2f), TV.Abs(x))), one)))),
                _ => TV.Divide(one, TV.Add(one, TV.Exp(TV.Subtract(TV.Zero, x)))),
            };
            TV.Store(y, ref result[0], i);
        }
        return result;
    }

    private static T[] RowMajor<T>(Matrix<T> matrix, int columns, int extra = 0) where T : struct, IEquatable<T>, IFormattable
    {
        var result = new T[(matrix.RowCount * columns) + extra];
        for (var i = 0; i < matrix.RowCount; i++)
            for (var j = 0; j < matrix.ColumnCount; j++)
                result[(i * columns) + j] = matrix[i, j];
        return result;
    }
}
