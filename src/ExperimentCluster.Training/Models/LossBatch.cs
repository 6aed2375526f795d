using System.Numerics;

namespace ExperimentCluster.Training.Models;

/// <summary>
/// The network's raw outputs z for a batch (rows of <paramref name="Columns"/> values, <paramref name="Stride"/> apart)
/// and what they should have been: class labels (classification, with a softmax head) or target values (regression).
/// <paramref name="Scratch"/> holds at least 2 × Columns doubles.
/// </summary>
internal readonly ref struct LossBatch<T>(
    ReadOnlySpan<T> outputs, int stride, int rows, int columns, bool softmax, ReadOnlySpan<int> labels, ReadOnlySpan<T> targets, Span<double> scratch)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public ReadOnlySpan<T> Outputs { get; } = outputs;

    public int Stride { get; } = stride;

    public int Rows { get; } = rows;

    public int Columns { get; } = columns;

    public bool Softmax { get; } = softmax;

    public ReadOnlySpan<int> Labels { get; } = labels;

    public ReadOnlySpan<T> Targets { get; } = targets;

    public Span<double> Scratch { get; } = scratch;
}
