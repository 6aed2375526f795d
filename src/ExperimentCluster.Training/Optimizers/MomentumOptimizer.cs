using System.Numerics;

using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Optimizers;

/// <summary>Heavy-ball momentum as torch.optim.SGD(momentum=μ): v ← μ v + (g + wd p); p ← p - lr v.</summary>
internal sealed class MomentumOptimizer(double momentum, double weightDecay) : IOptimizer
{
    public string Name => "momentum";

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
            var velocity = TV.FusedMultiplyAdd(TV.Broadcast(momentum), TV.Load(ref m, i), gi);
            TV.Store(velocity, ref m, i);
            TV.Store(TV.FusedMultiplyAdd(TV.Broadcast(minusRate), velocity, pi), ref p, i);
        }
    }
}
