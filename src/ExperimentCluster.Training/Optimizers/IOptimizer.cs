using System.Numerics;

namespace ExperimentCluster.Training.Optimizers;

/// <summary>One update rule. Stateless apart from its settings; what it carries between steps is in <see cref="OptimizerState{T}"/>.</summary>
internal interface IOptimizer
{
    string Name { get; }

    /// <summary>How many per-parameter buffers <see cref="OptimizerState{T}"/> must hold.</summary>
    int MomentBuffers { get; }

    /// <summary>Updates the parameters in place from their gradients at the given learning rate, and counts the step.</summary>
    void Step<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
