using System.Numerics;

namespace ExperimentCluster.Training.Models;

/// <summary>A loss over the network's outputs; lower is better. The output head (softmax or identity) is part of it.</summary>
internal interface ILoss
{
    string Name { get; }

    /// <summary>Whether the loss only makes sense for class labels (cross-entropy).</summary>
    bool ClassificationOnly { get; }

    /// <summary>
    /// Returns the sum over rows of the per-row loss. When <paramref name="gradient"/> is not empty, writes
    /// scale · ∂(row loss)/∂z into it (same stride as the outputs); with scale = 1/rows that is the gradient of the batch mean.
    /// </summary>
    double Evaluate<T>(in LossBatch<T> batch, Span<T> gradient, double scale) where T : unmanaged, IFloatingPointIeee754<T>;
}
