using System.Numerics;
using System.Runtime.CompilerServices;

namespace ExperimentCluster.Training.Models;

/// <summary>
/// The shared body of the elementwise losses: outputs o = softmax(z) (classification, against one-hot targets) or
/// o = z (regression); row loss = mean over columns of ρ(o - t); the gradient is carried back through the softmax.
/// </summary>
internal static class PointwiseLoss
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Evaluate<T, TP>(in LossBatch<T> batch, Span<T> gradient, double scale, TP penalty)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPenalty
    {
        var n = batch.Columns;
        var o = batch.Scratch[..n];
        var d = batch.Scratch.Slice(n, n);
        var total = 0.0;
        for (var r = 0; r < batch.Rows; r++)
        {
            var z = batch.Outputs.Slice(r * batch.Stride, n);
            if (batch.Softmax)
            {
                var max = double.NegativeInfinity;
                for (var j = 0; j < n; j++) max = Math.Max(max, double.CreateChecked(z[j]));
                var sum = 0.0;
                for (var j = 0; j < n; j++)
                {
                    o[j] = Math.Exp(double.CreateChecked(z[j]) - max);
                    sum += o[j];
                }
                for (var j = 0; j < n; j++) o[j] /= sum;
            }
            else
            {
                for (var j = 0; j < n; j++) o[j] = double.CreateChecked(z[j]);
            }
            var rowLoss = 0.0;
            for (var j = 0; j < n; j++)
            {
                var target = batch.Softmax ? (j == batch.Labels[r] ? 1.0 : 0.0) : double.CreateChecked(batch.Targets[(r * n) + j]);
                var residual = o[j] - target;
                rowLoss += penalty.Value(residual);
                d[j] = penalty.Derivative(residual) / n;
            }
            total += rowLoss / n;
            if (gradient.IsEmpty) continue;
            var g = gradient.Slice(r * batch.Stride, n);
            if (batch.Softmax)
            {
                // ∂L/∂z_j = p_j (∂L/∂p_j - Σ_k ∂L/∂p_k p_k): the softmax Jacobian applied to the output gradient.
                var dot = 0.0;
                for (var j = 0; j < n; j++) dot += d[j] * o[j];
                for (var j = 0; j < n; j++) g[j] = T.CreateChecked(o[j] * (d[j] - dot) * scale);
            }
            else
            {
                for (var j = 0; j < n; j++) g[j] = T.CreateChecked(d[j] * scale);
            }
        }
        return total;
    }
}
