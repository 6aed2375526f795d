using System.Numerics;

using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Models;

internal sealed class SigmoidActivation : IActivation
{
    public string Name => "sigmoid";

    public double InitBound(int fanIn, int fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut));

    public void Forward<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.Map(default(ForwardFunction<T>), values);

    public void Backward<T>(ReadOnlySpan<T> outputs, Span<T> gradients) where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Map2(default(BackwardFunction<T>), outputs, gradients);

    private readonly struct ForwardFunction<T> : IElementwiseFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        // 1 / (1 + e^{-x}); for very negative x, e^{-x} = ∞ and the result is exactly 0, never NaN.
        public TV Apply<TV>(TV x) where TV : struct, ISimdVector<TV, T>
        {
            var one = TV.Broadcast(T.One);
            return TV.Divide(one, TV.Add(one, TV.Exp(TV.Subtract(TV.Zero, x))));
        }
    }

    private readonly struct BackwardFunction<T> : IElementwiseFunction2<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public TV Apply<TV>(TV a, TV g) where TV : struct, ISimdVector<TV, T> =>
            TV.Multiply(g, TV.Multiply(a, TV.Subtract(TV.Broadcast(T.One), a)));
    }
}
