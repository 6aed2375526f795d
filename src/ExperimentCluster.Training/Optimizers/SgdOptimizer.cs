using System.Numerics;

using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Optimizers;

/// <summary>Plain gradient descent: p ← p - lr (g + wd p).</summary>
internal sealed class SgdOptimizer(double weightDecay) : IOptimizer
{
    public string Name => "sgd";

    public int MomentBuffers => 0;

    public void Step<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ParameterLoop.Run(new Update<T>(T.CreateChecked(-learningRate), T.CreateChecked(weightDecay)), parameters, gradients, default, default);
        state.Steps++;
    }

    private readonly struct Update<T>(T minusRate, T decay) : IParameterUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply<TV>(ref T p, ref T g, ref T m, ref T v, nint i) where TV : struct, ISimdVector<TV, T>
        {
            var pi = TV.Load(ref p, i);
            var gi = TV.FusedMultiplyAdd(TV.Broadcast(decay), pi, TV.Load(ref g, i));
            TV.Store(TV.FusedMultiplyAdd(TV.Broadcast(minusRate), gi, pi), ref p, i);
        }
    }
}
