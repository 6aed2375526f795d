using System.Numerics;

using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Optimizers;

/// <summary>Nesterov momentum as torch.optim.SGD(nesterov=True): v ← μ v + g'; p ← p - lr (g' + μ v), with g' = g + wd p.</summary>
internal sealed class NesterovOptimizer(double momentum, double weightDecay) : IOptimizer
{
    public string Name => "nesterov";

    public int MomentBuffers => 1;

    public void Step<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var update = new Update<T>(T.CreateChecked(-learningRate), T.CreateChecked(momentum), T.CreateChecked(weightDecay));
        ParameterLoop.Run(update, parameters, gradients, state.Moments[0], default);
        state.Steps++;
    }

    private readonly struct Update<T>(T minusRate, T momentum, T decay) : IParameterUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply<TV>(ref T p, ref T g, ref T m, ref T v, nint i) where TV : struct, ISimdVector<TV, T>
        {
            var pi = TV.Load(ref p, i);
            var gi = TV.FusedMultiplyAdd(TV.Broadcast(decay), pi, TV.Load(ref g, i));
            var mu = TV.Broadcast(momentum);
            var velocity = TV.FusedMultiplyAdd(mu, TV.Load(ref m, i), gi);
            TV.Store(velocity, ref m, i);
            // The look-ahead: step along the gradient plus the velocity it is about to add.
            TV.Store(TV.FusedMultiplyAdd(TV.Broadcast(minusRate), TV.FusedMultiplyAdd(mu, velocity, gi), pi), ref p, i);
        }
    }
}
