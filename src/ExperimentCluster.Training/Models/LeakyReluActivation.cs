using System.Numerics;

using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Models;

internal sealed class LeakyReluActivation(double slope) : IActivation
{
    public string Name => "leaky_relu";

    public double Slope { get; } = slope;

    // He initialisation with the leaky gain: variance 2 / ((1 + slope²) fan-in).
    public double InitBound(int fanIn, int fanOut) => Math.Sqrt(6.0 / ((1 + (Slope * Slope)) * fanIn));

    public void Forward<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Map(new ForwardFunction<T>(T.CreateChecked(Slope)), values);

    // With a positive slope the output is positive exactly where the input is, so the output decides the branch.
    public void Backward<T>(ReadOnlySpan<T> outputs, Span<T> gradients) where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Map2(new BackwardFunction<T>(T.CreateChecked(Slope)), outputs, gradients);

    private readonly struct ForwardFunction<T>(T slope) : IElementwiseFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public TV Apply<TV>(TV x) where TV : struct, ISimdVector<TV, T> => TV.SelectPositive(x, x, TV.Multiply(x, TV.Broadcast(slope)));
    }

    private readonly struct BackwardFunction<T>(T slope) : IElementwiseFunction2<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public TV Apply<TV>(TV a, TV g) where TV : struct, ISimdVector<TV, T> => TV.SelectPositive(a, g, TV.Multiply(g, TV.Broadcast(slope)));
    }
}
