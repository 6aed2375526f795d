using System.Numerics;

using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015) as torch.optim.Adam, weight decay added to the gradient (L2). With
/// <c>decoupled</c> it is AdamW (Loshchilov and Hutter, 2019): p ← p (1 - lr wd) before the Adam step, the gradient untouched.
/// </summary>
internal sealed class AdamOptimizer(double beta1, double beta2, double epsilon, double weightDecay, bool decoupled = false) : IOptimizer
{
    public string Name => decoupled ? "adamw" : "adam";

    public int MomentBuffers => 2;

    public void Step<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var t = state.Steps + 1;
        // Bias corrections in double, once per step: the moments start at zero and would otherwise underestimate early on.
        var correction1 = 1 - Math.Pow(beta1, t);
        var correction2 = 1 - Math.Pow(beta2, t);
        var update = new Update<T>(
            T.CreateChecked(-learningRate / correction1),
            T.CreateChecked(1 / Math.Sqrt(correction2)),
            T.CreateChecked(beta1), T.CreateChecked(1 - beta1),
            T.CreateChecked(beta2), T.CreateChecked(1 - beta2),
            T.CreateChecked(epsilon),
            decoupled ? T.Zero : T.CreateChecked(weightDecay),
            decoupled ? T.CreateChecked(1 - (learningRate * weightDecay)) : T.One);
        ParameterLoop.Run(update, parameters, gradients, state.Moments[0], state.Moments[1]);
        state.Steps = t;
    }

    private readonly struct Update<T>(T minusStep, T invSqrtCorrection2, T beta1, T oneMinusBeta1, T beta2, T oneMinusBeta2, T epsilon, T decay, T shrink)
        : IParameterUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply<TV>(ref T p, ref T g, ref T m, ref T v, nint i) where TV : struct, ISimdVector<TV, T>
        {
            var pi = TV.Load(ref p, i);
            var gi = TV.FusedMultiplyAdd(TV.Broadcast(decay), pi, TV.Load(ref g, i));
            pi = TV.Multiply(pi, TV.Broadcast(shrink));
            var mi = TV.FusedMultiplyAdd(TV.Broadcast(oneMinusBeta1), gi, TV.Multiply(TV.Broadcast(beta1), TV.Load(ref m, i)));
            var vi = TV.FusedMultiplyAdd(TV.Broadcast(oneMinusBeta2), TV.Multiply(gi, gi), TV.Multiply(TV.Broadcast(beta2), TV.Load(ref v, i)));
            TV.Store(mi, ref m, i);
            TV.Store(vi, ref v, i);
            var denominator = TV.FusedMultiplyAdd(TV.Sqrt(vi), TV.Broadcast(invSqrtCorrection2), TV.Broadcast(epsilon));
            TV.Store(TV.FusedMultiplyAdd(TV.Broadcast(minusStep), TV.Divide(mi, denominator), pi), ref p, i);
        }
    }
}
