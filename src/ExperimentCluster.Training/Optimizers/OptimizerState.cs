using System.Numerics;

namespace ExperimentCluster.Training.Optimizers;

/// <summary>
/// Everything an optimizer remembers between steps, owned by the trainer and saved in checkpoints: the optimizers
/// themselves hold only their settings, so there is no hidden state to forget.
/// </summary>
internal sealed class OptimizerState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public OptimizerState(int buffers, int length)
    {
        Moments = new T[buffers][];
        for (var b = 0; b < buffers; b++) Moments[b] = new T[length];
    }

    /// <summary>Updates taken so far (Adam's bias correction needs it).</summary>
    public long Steps { get; set; }

    /// <summary>Per-parameter moment buffers: none (SGD), a velocity (momentum, Nesterov), or first and second moments (Adam).</summary>
    public T[][] Moments { get; }
}
