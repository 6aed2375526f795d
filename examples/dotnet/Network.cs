namespace ExampleTrainer;

/// <summary>
/// A one-hidden-layer ReLU network with a softmax output, trained by mini-batch SGD on cross-entropy. Its weights are
/// plain public arrays, so the whole object is the checkpoint that ExperimentCluster.Trial saves as JSON.
/// </summary>
internal sealed class Network
{
    public double[][] W1 { get; init; } = [];
    public double[] B1 { get; init; } = [];
    public double[][] W2 { get; init; } = [];
    public double[] B2 { get; init; } = [];

    /// <summary>Weights drawn from the seed (Glorot uniform), biases zero.</summary>
    public static Network Create(int inputs, int hidden, int classes, int seed)
    {
        var random = new Random(seed);
        double[][] Layer(int fanIn, int fanOut)
        {
            var bound = Math.Sqrt(6.0 / (fanIn + fanOut));
            return Enumerable.Range(0, fanOut).Select(_ => Enumerable.Range(0, fanIn).Select(_ => (random.NextDouble() * 2 - 1) * bound).ToArray()).ToArray();
        }
        return new Network { W1 = Layer(inputs, hidden), B1 = new double[hidden], W2 = Layer(hidden, classes), B2 = new double[classes] };
    }

    /// <summary>Hidden activations and class log-probabilities of one row.</summary>
    public (double[] Hidden, double[] LogProbabilities) Forward(double[] x)
    {
        var h = new double[B1.Length];
        for (var j = 0; j < h.Length; j++)
            h[j] = Math.Max(0.0, B1[j] + Dot(W1[j], x));
        var z = new double[B2.Length];
        for (var k = 0; k < z.Length; k++)
            z[k] = B2[k] + Dot(W2[k], h);
        var top = z.Max();
        var logTotal = top + Math.Log(z.Sum(v => Math.Exp(v - top)));
        return (h, z.Select(v => v - logTotal).ToArray());
    }

    /// <summary>One SGD step on the batch; returns the batch's mean loss before the step.</summary>
    public double Step(double[][] xs, int[] ys, double learningRate)
    {
        var gW1 = W1.Select(r => new double[r.Length]).ToArray();
        var gB1 = new double[B1.Length];
        var gW2 = W2.Select(r => new double[r.Length]).ToArray();
        var gB2 = new double[B2.Length];
        var loss = 0.0;
        for (var n = 0; n < xs.Length; n++)
        {
            var (h, logP) = Forward(xs[n]);
            loss -= logP[ys[n]];
            var dz = logP.Select((lp, k) => Math.Exp(lp) - (k == ys[n] ? 1.0 : 0.0)).ToArray();
            for (var k = 0; k < dz.Length; k++)
            {
                gB2[k] += dz[k];
                for (var j = 0; j < h.Length; j++)
                    gW2[k][j] += dz[k] * h[j];
            }
            for (var j = 0; j < h.Length; j++)
            {
                var back = 0.0;
                for (var k = 0; k < dz.Length; k++)
                    back += dz[k] * W2[k][j];
                var dh = h[j] > 0.0 ? back : 0.0;
                gB1[j] += dh;
                for (var i = 0; i < xs[n].Length; i++)
                    gW1[j][i] += dh * xs[n][i];
            }
        }
        var scale = learningRate / xs.Length;
        Descend(W1, gW1, scale);
        Descend(W2, gW2, scale);
        Descend([B1], [gB1], scale);
        Descend([B2], [gB2], scale);
        return loss / xs.Length;
    }

    /// <summary>Mean cross-entropy and accuracy on the rows.</summary>
    public (double Loss, double Accuracy) Evaluate(Rows rows)
    {
        var loss = 0.0;
        var correct = 0;
        for (var n = 0; n < rows.Labels.Length; n++)
        {
            var (_, logP) = Forward(rows.Features[n]);
            loss -= logP[rows.Labels[n]];
            var best = 0;
            for (var k = 1; k < logP.Length; k++)
                if (logP[k] > logP[best])
                    best = k;
            correct += best == rows.Labels[n] ? 1 : 0;
        }
        return (loss / rows.Labels.Length, (double)correct / rows.Labels.Length);
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    private static void Descend(double[][] weights, double[][] gradients, double scale)
    {
        for (var r = 0; r < weights.Length; r++)
            for (var i = 0; i < weights[r].Length; i++)
                weights[r][i] -= scale * gradients[r][i];
    }
}
