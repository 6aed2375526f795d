using System.Numerics;

using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Models;

internal sealed class ReluActivation : IActivation
{
    public string Name => "relu";

    // He et al. (2015): variance 2 / fan-in keeps the signal's scale through rectifiers; uniform, so no transcendental calls.
    public double InitBound(int fanIn, int fanOut) => Math.Sqrt(6.0 / fanIn);

    public void Forward<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.Map(default(ForwardFunction<T>), values);

    public void Backward<T>(ReadOnlySpan<T> outputs, Span<T> gradients) where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Map2(default(BackwardFunction<T>), outputs, gradients);

    private readonly struct ForwardFunction<T> : IElementwiseFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public TV Apply<TV>(TV x) where TV : struct, ISimdVector<TV, T> => TV.Max(x, TV.Zero);
    }

    private readonly struct BackwardFunction<T> : IElementwiseFunction2<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public TV Apply<TV>(TV a, TV g) where TV : struct, ISimdVector<TV, T> => TV.SelectPositive(a, g, TV.Zero);
    }
}
