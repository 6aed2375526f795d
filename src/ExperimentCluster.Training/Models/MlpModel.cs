using System.Numerics;
using System.Runtime.CompilerServices;

using ExperimentCluster.Training.Numerics;

using MathNet.Numerics.LinearAlgebra;

namespace ExperimentCluster.Training.Models;

/// <summary>
/// A multilayer perceptron over mini-batches held in its own buffers. All parameters live in one flat array, layer
/// by layer (weights in×out row-major, then biases), so that optimizers, clipping and checkpoints see one vector.
/// <para>
/// Buffers are allocated once for the largest batch; a training step allocates nothing. Rows of every buffer are
/// padded to a whole 512-bit vector, and the flat arrays end with one vector of slack, so that the kernels read and
/// write whole vectors; padding lanes carry no meaning and never reach a stored result.
/// </para>
/// </summary>
internal sealed class MlpModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _sizes;
    private readonly int[] _stride;
    private readonly int[] _weightOffset;
    private readonly int[] _biasOffset;
    private readonly IActivation _activation;
    private readonly ILoss _loss;
    private readonly bool _softmax;
    private readonly T[][] _values;
    private readonly T[][] _deltas;
    private readonly T[][] _transposed;
    private readonly double[] _scratch;

    /// <param name="sizes">Input width, hidden widths, output width.</param>
    /// <param name="capacity">The most rows one call will pass.</param>
    public MlpModel(int[] sizes, IActivation activation, ILoss loss, bool softmax, int capacity)
    {
        if (sizes.Length < 2) throw new ArgumentException("a model needs an input and an output width", nameof(sizes));
        _sizes = sizes;
        _activation = activation;
        _loss = loss;
        _softmax = softmax;
        Capacity = capacity;
        var layers = sizes.Length - 1;
        _stride = sizes.Select(DenseKernels.Padded<T>).ToArray();
        _weightOffset = new int[layers + 1];
        _biasOffset = new int[layers + 1];
        var offset = 0;
        for (var l = 1; l <= layers; l++)
        {
            _weightOffset[l] = offset;
            offset += sizes[l - 1] * sizes[l];
            _biasOffset[l] = offset;
            offset += sizes[l];
        }
        ParameterCount = offset;
        var slack = DenseKernels.PadUnit<T>();
        Parameters = new T[offset + slack];
        Gradients = new T[offset + slack];
        _values = new T[layers + 1][];
        _deltas = new T[layers + 1][];
        _transposed = new T[layers + 1][];
        for (var l = 0; l <= layers; l++)
        {
            _values[l] = new T[(capacity * _stride[l]) + slack];
            _deltas[l] = l == 0 ? [] : new T[(capacity * _stride[l]) + slack];
            _transposed[l] = l < 2 ? [] : new T[(sizes[l] * _stride[l - 1]) + slack];
        }
        _scratch = new double[2 * sizes[^1]];
    }

    public int Capacity { get; }

    public int Inputs => _sizes[0];

    public int Outputs => _sizes[^1];

    public int Layers => _sizes.Length - 1;

    public int ParameterCount { get; }

    /// <summary>The flat parameter vector; only the first <see cref="ParameterCount"/> elements are parameters.</summary>
    public T[] Parameters { get; }

    /// <summary>Gradients of the last <see cref="Backward"/>, laid out as <see cref="Parameters"/>.</summary>
    public T[] Gradients { get; }

    public int InputStride => _stride[0];

    /// <summary>Where <see cref="Forward"/> reads its batch: row r starts at r · <see cref="InputStride"/>.</summary>
    public Span<T> Input => _values[0];

    public int WeightOffset(int layer) => _weightOffset[layer];

    public int BiasOffset(int layer) => _biasOffset[layer];

    public int Width(int layer) => _sizes[layer];

    /// <summary>A copy of layer <paramref name="layer"/>'s weights (fan-in × fan-out) as a MathNet matrix, for inspection and reference checks.</summary>
    public Matrix<T> Weights(int layer)
    {
        var (rows, columns, offset) = (_sizes[layer - 1], _sizes[layer], _weightOffset[layer]);
        return Matrix<T>.Build.Dense(rows, columns, (i, j) => Parameters[offset + (i * columns) + j]);
    }

    /// <summary>A copy of layer <paramref name="layer"/>'s biases as a MathNet vector.</summary>
    public MathNet.Numerics.LinearAlgebra.Vector<T> Biases(int layer) => MathNet.Numerics.LinearAlgebra.Vector<T>.Build.DenseOfArray(Parameters.AsSpan(_biasOffset[layer], _sizes[layer]).ToArray());

    /// <summary>Uniform initialisation with the activation's bound (the output layer: Glorot), zero biases.</summary>
    public void Initialize(Xoshiro256Generator random)
    {
        for (var l = 1; l <= Layers; l++)
        {
            var fanIn = _sizes[l - 1];
            var fanOut = _sizes[l];
            var bound = l == Layers ? Math.Sqrt(6.0 / (fanIn + fanOut)) : _activation.InitBound(fanIn, fanOut);
            var w = Parameters.AsSpan(_weightOffset[l], fanIn * fanOut);
            for (var i = 0; i < w.Length; i++) w[i] = T.CreateChecked(random.NextUniform(-bound, bound));
            Parameters.AsSpan(_biasOffset[l], fanOut).Clear();
        }
    }

    /// <summary>Runs the batch in <see cref="Input"/> through every layer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(int rows)
    {
        CheckRows(rows);
        for (var l = 1; l <= Layers; l++)
        {
            DenseKernels.Gemm<T>(_values[l - 1], _stride[l - 1], 1, Parameters.AsSpan(_weightOffset[l]), _sizes[l],
                Parameters.AsSpan(_biasOffset[l]), _values[l], _stride[l], rows, _sizes[l], _sizes[l - 1]);
            if (l < Layers) _activation.Forward(_values[l].AsSpan(0, rows * _stride[l]));
        }
    }

    /// <summary>
    /// The summed loss of the last forward batch; with <paramref name="withGradient"/> it also seeds
    /// <see cref="Backward"/> with the gradient of the batch mean.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Loss(int rows, ReadOnlySpan<int> labels, ReadOnlySpan<T> targets, bool withGradient)
    {
        CheckRows(rows);
        var batch = new LossBatch<T>(_values[Layers], _stride[Layers], rows, Outputs, _softmax, labels, targets, _scratch);
        return _loss.Evaluate(batch, withGradient ? _deltas[Layers] : default, 1.0 / rows);
    }

    /// <summary>Rows of the last forward batch whose largest output is at the label (first maximum on ties).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int CountCorrect(int rows, ReadOnlySpan<int> labels)
    {
        var outputs = _values[Layers];
        var correct = 0;
        for (var r = 0; r < rows; r++)
        {
            var z = outputs.AsSpan(r * _stride[Layers], Outputs);
            var best = 0;
            for (var j = 1; j < z.Length; j++)
                if (z[j] > z[best]) best = j;
            if (best == labels[r]) correct++;
        }
        return correct;
    }

    /// <summary>Fills <see cref="Gradients"/> from the gradient that <see cref="Loss"/> left for the last forward batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(int rows)
    {
        CheckRows(rows);
        for (var l = Layers; l >= 1; l--)
        {
            int fanIn = _sizes[l - 1], fanOut = _sizes[l];
            // dW = Aᵀ·dZ: the batch is the summed dimension, so the input activations are read down their columns.
            DenseKernels.Gemm<T>(_values[l - 1], 1, _stride[l - 1], _deltas[l], _stride[l], default,
                Gradients.AsSpan(_weightOffset[l]), fanOut, fanIn, fanOut, rows);
            DenseKernels.ColumnSums<T>(_deltas[l], _stride[l], rows, fanOut, Gradients.AsSpan(_biasOffset[l], fanOut));
            if (l == 1) break;
            // dA = dZ·Wᵀ with Wᵀ materialised, so that this product also runs along contiguous rows (one lane per element).
            DenseKernels.Transpose<T>(Parameters.AsSpan(_weightOffset[l]), fanOut, fanIn, fanOut, _transposed[l], _stride[l - 1]);
            DenseKernels.Gemm<T>(_deltas[l], _stride[l], 1, _transposed[l], _stride[l - 1], default,
                _deltas[l - 1], _stride[l - 1], rows, fanIn, fanOut);
            _activation.Backward<T>(_values[l - 1].AsSpan(0, rows * _stride[l - 1]), _deltas[l - 1].AsSpan(0, rows * _stride[l - 1]));
        }
    }

    /// <summary>The outputs of the last forward batch, row r at r · stride.</summary>
    public ReadOnlySpan<T> OutputValues(out int stride)
    {
        stride = _stride[Layers];
        return _values[Layers];
    }

    private void CheckRows(int rows)
    {
        if (rows < 1 || rows > Capacity) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"1 to {Capacity} rows");
    }
}
