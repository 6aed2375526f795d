using System.Numerics;

using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Models;

internal sealed class EluActivation(double alpha) : IActivation
{
    public string Name => "elu";

    public double Alpha { get; } = alpha;

    public double InitBound(int fanIn, int fanOut) => Math.Sqrt(6.0 / fanIn);

    public void Forward<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Map(new ForwardFunction<T>(T.CreateChecked(Alpha)), values);

    // For z ≤ 0, f(z) = α(eᶻ - 1), so f'(z) = αeᶻ = f(z) + α: the output alone gives the derivative.
    public void Backward<T>(ReadOnlySpan<T> outputs, Span<T> gradients) where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Map2(new BackwardFunction<T>(T.CreateChecked(Alpha)), outputs, gradients);

    private readonly struct ForwardFunction<T>(T alpha) : IElementwiseFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public TV Apply<TV>(TV x) where TV : struct, ISimdVector<TV, T>
        {
            var a = TV.Broadcast(alpha);
            // exp of a large positive x overflows to infinity, but that lane takes x.
            return TV.SelectPositive(x, x, TV.Subtract(TV.Multiply(a, TV.Exp(x)), a));
        }
    }

    private readonly struct BackwardFunction<T>(T alpha) : IElementwiseFunction2<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public TV Apply<TV>(TV a, TV g) where TV : struct, ISimdVector<TV, T> =>
            TV.SelectPositive(a, g, TV.Multiply(g, TV.Add(a, TV.Broadcast(alpha))));
    }
}
