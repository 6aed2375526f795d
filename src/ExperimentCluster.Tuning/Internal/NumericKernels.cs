namespace ExperimentCluster.Tuning;

/// <summary>The kernels of a range parameter on the estimators' line (<see cref="SpaceSampler.Bounds"/>: log space for log
/// domains, integers widened by half a step): a Gaussian at each observation and a prior Gaussian at the centre with the
/// whole interval as its bandwidth, each truncated to the interval.
/// <para>Bandwidth (Optuna's rule, also what its multivariate TPE uses per parameter since 4.x): sort the observations;
/// each one's bandwidth is the larger of the gaps to its neighbours, the interval's ends counting as neighbours, except
/// that the lowest and the highest observation use only their inner gap (Optuna's <c>consider_endpoints=False</c>: an
/// observation near an end would otherwise get a wide kernel from the empty stretch beside it). Then the "magic clip":
/// at least range / min(100, n + 2) (n observations plus the prior), at most the range, so that two close good trials do
/// not collapse l(x) onto a spike and early estimators stay broad. The prior is not among the neighbours (Optuna 3.1 put
/// it there; current Optuna does not): a good trial near the centre keeps its own gap.</para>
/// <para>Integers are scored by the mass of their bin [v - 1/2, v + 1/2] (Optuna's discrete kernels) rather than by the
/// density at v: a kernel narrower than a step then scores its own integer 1, not a height that depends on the width.</para></summary>
internal sealed class NumericKernels : ParzenKernels
{
    private readonly Domain _domain;
    private readonly double _low;
    private readonly double _high;
    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double[] _logInside;

    public NumericKernels(Domain domain, IReadOnlyList<double> observations)
    {
        _domain = domain;
        (_low, _high) = SpaceSampler.Bounds(domain);
        _mus = [.. observations, 0.5 * (_low + _high)];
        _sigmas = Bandwidths(observations, _low, _high);
        _logInside = new double[_mus.Length];
        for (var k = 0; k < _mus.Length; k++)
        {
            _logInside[k] = LogMass(_mus[k], _sigmas[k], _low, _high);
        }
    }

    public override int Count => _mus.Length;

    /// <summary>The bandwidths of the observations' kernels by the rule above, then the prior's (the range) last.</summary>
    public static double[] Bandwidths(IReadOnlyList<double> observations, double low, double high)
    {
        var n = observations.Count;
        var range = high - low;
        var sigmas = new double[n + 1];
        var order = Enumerable.Range(0, n).OrderBy(i => observations[i]).ThenBy(i => i).ToArray();
        for (var s = 0; s < n; s++)
        {
            var x = observations[order[s]];
            var left = x - (s == 0 ? low : observations[order[s - 1]]);
            var right = (s == n - 1 ? high : observations[order[s + 1]]) - x;
            sigmas[order[s]] = n < 2 ? Math.Max(left, right) : s == 0 ? right : s == n - 1 ? left : Math.Max(left, right);
        }

        var smallest = range / Math.Min(100.0, n + 2.0);
        for (var i = 0; i < n; i++)
        {
            sigmas[i] = Math.Clamp(sigmas[i], smallest, range);
        }

        sigmas[n] = range;
        return sigmas;
    }

    public override double LogKernel(int k, double x)
    {
        if (_domain is IntUniformDomain integers)
        {
            var (from, to) = Bin(integers, x);
            return LogMass(_mus[k], _sigmas[k], Math.Max(from, _low), Math.Min(to, _high)) - _logInside[k];
        }

        var z = (x - _mus[k]) / _sigmas[k];
        return NormalMath.LogPdf(z) - Math.Log(_sigmas[k]) - _logInside[k];
    }

    public override double Sample(int k, ref SplitMix64 rng)
    {
        // Rejection from the untruncated Gaussian: its centre lies in the interval and its bandwidth is at most the
        // interval's length, so at least a third of its mass is inside and this ends after a few draws.
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var x = _mus[k] + (_sigmas[k] * rng.NextGaussian());
            if (x >= _low && x <= _high)
            {
                return x;
            }
        }

        return Math.Clamp(_mus[k], _low, _high);
    }

    /// <summary>The integer's bin on the line: [v - 1/2, v + 1/2], in log space for a logarithmic range.</summary>
    private static (double From, double To) Bin(IntUniformDomain domain, double x)
    {
        if (!domain.Log)
        {
            var v = Math.Round(x, MidpointRounding.AwayFromZero);
            return (v - 0.5, v + 0.5);
        }

        var value = Math.Round(Math.Exp(x), MidpointRounding.AwayFromZero);
        return (Math.Log(value - 0.5), Math.Log(value + 0.5));
    }

    /// <summary>log P(a &lt;= X &lt;= b) for X ~ N(mu, sigma), computed on the side of the smaller tail so that a bin far
    /// from the kernel keeps a usable (very negative) logarithm rather than 0 - 0.</summary>
    private static double LogMass(double mu, double sigma, double a, double b)
    {
        var za = (a - mu) / sigma;
        var zb = (b - mu) / sigma;
        var mass = za > 0
            ? NormalMath.Cdf(-za) - NormalMath.Cdf(-zb)
            : NormalMath.Cdf(zb) - NormalMath.Cdf(za);
        return Math.Log(Math.Max(mass, 1e-300));
    }
}
