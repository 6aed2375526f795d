namespace ExperimentCluster.Tuning;

/// <summary>A one-dimensional Parzen estimator as TPE builds it (following Optuna's univariate defaults): one Gaussian per
/// observation, truncated to [low, high], plus a wide prior Gaussian at the centre. Each observation's bandwidth is the
/// larger gap to its sorted neighbours (the outermost ones use their single inner gap), clipped to
/// [(high - low) / min(100, 1 + n), high - low] (Bergstra's "magic clip"); the prior's is high - low.</summary>
internal sealed class ParzenEstimator
{
    private readonly double _low;
    private readonly double _high;
    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double[] _logWeights;
    private readonly double[] _cumulative;
    private readonly double[] _logNormalizers;

    public ParzenEstimator(IReadOnlyList<double> observations, IReadOnlyList<double> weights, double low, double high, double priorWeight)
    {
        _low = low;
        _high = high;
        var count = observations.Count + 1;
        _mus = [.. observations, 0.5 * (low + high)];
        var rawWeights = weights.Append(priorWeight).ToArray();
        var range = high - low;

        _sigmas = new double[count];
        var order = Enumerable.Range(0, count).OrderBy(i => _mus[i]).ThenBy(i => i).ToArray();
        for (var k = 0; k < count; k++)
        {
            var left = _mus[order[k]] - (k == 0 ? low : _mus[order[k - 1]]);
            var right = (k == count - 1 ? high : _mus[order[k + 1]]) - _mus[order[k]];
            var sigma = Math.Max(left, right);
            if (count >= 2 && k == 0)
            {
                sigma = right;
            }
            else if (count >= 2 && k == count - 1)
            {
                sigma = left;
            }

            _sigmas[order[k]] = sigma;
        }

        var minSigma = range / Math.Min(100.0, 1.0 + count);
        for (var i = 0; i < count; i++)
        {
            _sigmas[i] = Math.Clamp(_sigmas[i], minSigma, range);
        }

        _sigmas[count - 1] = range;

        var total = rawWeights.Sum();
        _logWeights = rawWeights.Select(w => Math.Log(w / total)).ToArray();
        _cumulative = new double[count];
        var running = 0.0;
        for (var i = 0; i < count; i++)
        {
            running += rawWeights[i] / total;
            _cumulative[i] = running;
        }

        _logNormalizers = new double[count];
        for (var i = 0; i < count; i++)
        {
            var mass = NormalMath.Cdf((high - _mus[i]) / _sigmas[i]) - NormalMath.Cdf((low - _mus[i]) / _sigmas[i]);
            _logNormalizers[i] = Math.Log(Math.Max(mass, 1e-12));
        }
    }

    public double Sample(ref SplitMix64 rng)
    {
        var u = rng.NextDouble();
        var component = Array.FindIndex(_cumulative, c => u < c);
        if (component < 0)
        {
            component = _cumulative.Length - 1;
        }

        // Rejection: every component keeps at least about a third of its mass inside [low, high], so this ends quickly.
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var x = _mus[component] + (_sigmas[component] * rng.NextGaussian());
            if (x >= _low && x <= _high)
            {
                return x;
            }
        }

        return Math.Clamp(_mus[component], _low, _high);
    }

    public double LogDensity(double x)
    {
        var buffer = _mus.Length <= 256 ? stackalloc double[_mus.Length] : new double[_mus.Length];
        for (var i = 0; i < _mus.Length; i++)
        {
            buffer[i] = _logWeights[i] + NormalMath.LogPdf((x - _mus[i]) / _sigmas[i]) - Math.Log(_sigmas[i]) - _logNormalizers[i];
        }

        return NormalMath.LogSumExp(buffer);
    }
}
