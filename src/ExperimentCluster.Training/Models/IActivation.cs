using System.Numerics;

namespace ExperimentCluster.Training.Models;

/// <summary>
/// A hidden-layer nonlinearity. Backward needs only the layer's output: every activation here has a derivative that
/// is a function of its output, so the pre-activations need not be kept.
/// </summary>
internal interface IActivation
{
    string Name { get; }

    /// <summary>The bound b of the uniform initialisation U(-b, b) for a layer feeding this activation.</summary>
    double InitBound(int fanIn, int fanOut);

    /// <summary>values = f(values), in place, over a padded buffer.</summary>
    void Forward<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>gradients = gradients · f'(z), where outputs = f(z), over padded buffers.</summary>
    void Backward<T>(ReadOnlySpan<T> outputs, Span<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>;
}
