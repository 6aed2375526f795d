using System.Numerics;
using System.Runtime.CompilerServices;

namespace ExperimentCluster.Training.Models;

/// <summary>Softmax cross-entropy, fused: -log softmax(z)_y from the shifted log-sum-exp, and gradient softmax(z) - onehot(y).</summary>
internal sealed class CrossEntropyLoss : ILoss
{
    public string Name => "cross_entropy";

    public bool ClassificationOnly => true;

    // The head works in double whatever T is: a few values per row, and the loss should not lose digits to float.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate<T>(in LossBatch<T> batch, Span<T> gradient, double scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = batch.Columns;
        var e = batch.Scratch[..n];
        var total = 0.0;
        for (var r = 0; r < batch.Rows; r++)
        {
            var z = batch.Outputs.Slice(r * batch.Stride, n);
            var max = double.NegativeInfinity;
            for (var j = 0; j < n; j++) max = Math.Max(max, double.CreateChecked(z[j]));
            var sum = 0.0;
            for (var j = 0; j < n; j++)
            {
                e[j] = Math.Exp(double.CreateChecked(z[j]) - max);
                sum += e[j];
            }
            var y = batch.Labels[r];
            total += Math.Log(sum) - (double.CreateChecked(z[y]) - max);
            if (gradient.IsEmpty) continue;
            var g = gradient.Slice(r * batch.Stride, n);
            for (var j = 0; j < n; j++)
                g[j] = T.CreateChecked(((e[j] / sum) - (j == y ? 1.0 : 0.0)) * scale);
        }
        return total;
    }
}
