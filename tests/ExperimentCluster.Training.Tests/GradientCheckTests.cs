using ExperimentCluster.Training.Models;
using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Tests;

/// <summary>
/// Central finite differences in double against the analytical gradient, for every parameter of every layer, over
/// every activation and every loss with both output heads (softmax for classification, identity for regression).
/// </summary>
public sealed class GradientCheckTests
{
    private const int Rows = 5;
    private const double Step = 1e-5;

    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var activation in ModelCatalog.Activations)
        {
            foreach (var loss in ModelCatalog.Losses) data.Add(activation, loss, true);
            data.Add(activation, "mse", false);
            data.Add(activation, "huber", false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analytical_gradient_matches_finite_differences(string activation, string loss, bool classification)
    {
        // Widths 33 and 9 run the kernels' four-vector, two-vector and one-vector tiles and their partial edges.
        var model = BuildModel<double>([4, 33, 9, classification ? 3 : 2], activation, loss, classification, seed: 1);
        var (labels, targets) = FillBatch(model, classification, seed: 2);
        var analytical = AnalyticalGradient(model, labels, targets);
        for (var i = 0; i < model.ParameterCount; i++)
        {
            var numerical = NumericalGradient(model, labels, targets, i);
            var tolerance = 1e-6 * Math.Max(1, Math.Max(Math.Abs(numerical), Math.Abs(analytical[i])));
            Assert.True(Math.Abs(numerical - analytical[i]) <= tolerance,
                $"parameter {i} ({Describe(model, i)}): analytical {analytical[i]:R}, numerical {numerical:R}");
        }
    }

    [Theory]
    [InlineData("cross_entropy", true)]
    [InlineData("mse", false)]
    public void Linear_model_gradient_matches_finite_differences(string loss, bool classification)
    {
        var model = BuildModel<double>([6, classification ? 4 : 1], "relu", loss, classification, seed: 3);
        var (labels, targets) = FillBatch(model, classification, seed: 4);
        var analytical = AnalyticalGradient(model, labels, targets);
        for (var i = 0; i < model.ParameterCount; i++)
            Assert.Equal(NumericalGradient(model, labels, targets, i), analytical[i], 1e-7);
    }

    [Theory]
    [InlineData("tanh", "cross_entropy")]
    [InlineData("elu", "huber")]
    public void Float_path_gives_the_double_path_gradient_to_float_precision(string activation, string loss)
    {
        var reference = BuildModel<double>([4, 17, 3], activation, loss, true, seed: 5);
        var single = BuildModel<float>([4, 17, 3], activation, loss, true, seed: 5);
        for (var i = 0; i < reference.ParameterCount; i++)
            reference.Parameters[i] = single.Parameters[i];
        var (labels, targets) = FillBatch(reference, true, seed: 6);
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < 4; c++)
                single.Input[(r * single.InputStride) + c] = (float)reference.Input[(r * reference.InputStride) + c];
        var expected = AnalyticalGradient(reference, labels, targets);
        single.Forward(Rows);
        single.Loss(Rows, labels, [], withGradient: true);
        single.Backward(Rows);
        for (var i = 0; i < reference.ParameterCount; i++)
            Assert.Equal(expected[i], single.Gradients[i], 1e-5);
        _ = targets;
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("sigmoid")]
    public void Forward_pass_equals_a_MathNet_reference_computation(string activation)
    {
        var model = BuildModel<double>([4, 33, 9, 3], activation, "cross_entropy", true, seed: 7);
        FillBatch(model, true, seed: 8);
        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(Rows, 4, (r, c) => model.Input[(r * model.InputStride) + c]);
        model.Forward(Rows);
        var a = x;
        for (var l = 1; l <= model.Layers; l++)
        {
            var biases = model.Biases(l);
            a = (a * model.Weights(l)).MapIndexed((_, j, v) => v + biases[j]);
            if (l < model.Layers) a = a.Map(v => activation == "relu" ? Math.Max(v, 0) : 1 / (1 + Math.Exp(-v)));
        }
        var outputs = model.OutputValues(out var stride);
        for (var r = 0; r < Rows; r++)
            for (var j = 0; j < 3; j++)
                Assert.Equal(a[r, j], outputs[(r * stride) + j], 12);
    }

    private static MlpModel<T> BuildModel<T>(int[] sizes, string activation, string loss, bool classification, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var spec = new TrainingSpec { Activation = activation, Loss = loss, LeakySlope = 0.05, EluAlpha = 1.3, HuberDelta = 0.3 };
        var model = new MlpModel<T>(sizes, ModelCatalog.CreateActivation(spec), ModelCatalog.CreateLoss(spec, classification), classification, Rows);
        var random = new Xoshiro256Generator(seed);
        model.Initialize(random);
        // Non-zero biases, so that every unit sits at a generic point and not on a kink.
        for (var l = 1; l <= model.Layers; l++)
            for (var j = 0; j < model.Width(l); j++)
                model.Parameters[model.BiasOffset(l) + j] = T.CreateChecked(random.NextUniform(-0.5, 0.5));
        return model;
    }

    private static (int[] Labels, double[] Targets) FillBatch(MlpModel<double> model, bool classification, int seed)
    {
        var random = new Xoshiro256Generator(seed);
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < model.Inputs; c++)
                model.Input[(r * model.InputStride) + c] = random.NextGaussian();
        var labels = Enumerable.Range(0, Rows).Select(_ => random.NextInt(model.Outputs)).ToArray();
        var targets = Enumerable.Range(0, Rows * model.Outputs).Select(_ => random.NextGaussian()).ToArray();
        return classification ? (labels, []) : ([], targets);
    }

    private static double[] AnalyticalGradient(MlpModel<double> model, int[] labels, double[] targets)
    {
        model.Forward(Rows);
        model.Loss(Rows, labels, targets, withGradient: true);
        model.Backward(Rows);
        return model.Gradients.AsSpan(0, model.ParameterCount).ToArray();
    }

    private static double NumericalGradient(MlpModel<double> model, int[] labels, double[] targets, int index)
    {
        var original = model.Parameters[index];
        model.Parameters[index] = original + Step;
        model.Forward(Rows);
        var plus = model.Loss(Rows, labels, targets, withGradient: false) / Rows;
        model.Parameters[index] = original - Step;
        model.Forward(Rows);
        var minus = model.Loss(Rows, labels, targets, withGradient: false) / Rows;
        model.Parameters[index] = original;
        return (plus - minus) / (2 * Step);
    }

    private static string Describe(MlpModel<double> model, int index)
    {
        for (var l = model.Layers; l >= 1; l--)
        {
            if (index >= model.BiasOffset(l)) return $"layer {l} bias {index - model.BiasOffset(l)}";
            if (index >= model.WeightOffset(l)) return $"layer {l} weight {index - model.WeightOffset(l)}";
        }
        return "?";
    }
}
