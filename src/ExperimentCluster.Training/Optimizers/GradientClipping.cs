using System.Numerics;

using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Optimizers;

/// <summary>Rescales the whole gradient so that its L2 norm is at most the limit, as torch.nn.utils.clip_grad_norm_.</summary>
internal static class GradientClipping
{
    /// <summary>Returns the norm before clipping.</summary>
    public static double Clip<T>(Span<T> gradients, double maxNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var norm = Math.Sqrt(DenseKernels.SumOfSquares<T>(gradients));
        if (norm > maxNorm)
            ParameterLoop.Run(new Scale<T>(T.CreateChecked(maxNorm / (norm + 1e-6))), gradients, gradients, default, default);
        return norm;
    }

    private readonly struct Scale<T>(T factor) : IParameterUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply<TV>(ref T p, ref T g, ref T m, ref T v, nint i) where TV : struct, ISimdVector<TV, T> =>
            TV.Store(TV.Multiply(TV.Load(ref p, i), TV.Broadcast(factor)), ref p, i);
    }
}
