using System.Numerics;

namespace ExperimentCluster.Training.Models;

/// <summary>Huber: quadratic within δ of the target, linear beyond, so outliers pull with a bounded force (as torch.nn.HuberLoss).</summary>
internal sealed class HuberLoss(double delta) : ILoss
{
    public string Name => "huber";

    public bool ClassificationOnly => false;

    public double Delta { get; } = delta;

    public double Evaluate<T>(in LossBatch<T> batch, Span<T> gradient, double scale) where T : unmanaged, IFloatingPointIeee754<T> =>
        PointwiseLoss.Evaluate(batch, gradient, scale, new HuberPenalty(Delta));

    private readonly struct HuberPenalty(double delta) : IPenalty
    {
        public double Value(double d) => Math.Abs(d) <= delta ? 0.5 * d * d : delta * (Math.Abs(d) - (0.5 * delta));

        public double Derivative(double d) => Math.Clamp(d, -delta, delta);
    }
}
