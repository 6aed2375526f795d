using System.Numerics;

namespace ExperimentCluster.Training.Models;

/// <summary>Mean squared error, mean over outputs as torch.nn.MSELoss.</summary>
internal sealed class MseLoss : ILoss
{
    public string Name => "mse";

    public bool ClassificationOnly => false;

    public double Evaluate<T>(in LossBatch<T> batch, Span<T> gradient, double scale) where T : unmanaged, IFloatingPointIeee754<T> =>
        PointwiseLoss.Evaluate(batch, gradient, scale, default(SquarePenalty));

    private readonly struct SquarePenalty : IPenalty
    {
        public double Value(double d) => d * d;

        public double Derivative(double d) => 2 * d;
    }
}
