using System.Numerics;

using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Models;

internal sealed class TanhActivation : IActivation
{
    public string Name => "tanh";

    // Glorot and Bengio (2010): variance 2 / (fan-in + fan-out) for symmetric saturating units.
    public double InitBound(int fanIn, int fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut));

    public void Forward<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.Map(default(ForwardFunction<T>), values);

    public void Backward<T>(ReadOnlySpan<T> outputs, Span<T> gradients) where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Map2(default(BackwardFunction<T>), outputs, gradients);

    private readonly struct ForwardFunction<T> : IElementwiseFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        // tanh|x| = 1 - 2 / (e^{2|x|} + 1): built on the vector exp (the BCL has no vector tanh); large |x| gives e = ∞ and exactly 1.
        public TV Apply<TV>(TV x) where TV : struct, ISimdVector<TV, T>
        {
            var one = TV.Broadcast(T.One);
            var two = TV.Broadcast(T.One + T.One);
            var e = TV.Exp(TV.Multiply(two, TV.Abs(x)));
            return TV.CopySignOf(x, TV.Subtract(one, TV.Divide(two, TV.Add(e, one))));
        }
    }

    private readonly struct BackwardFunction<T> : IElementwiseFunction2<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public TV Apply<TV>(TV a, TV g) where TV : struct, ISimdVector<TV, T> =>
            TV.Multiply(g, TV.Subtract(TV.Broadcast(T.One), TV.Multiply(a, a)));
    }
}
