namespace ExperimentCluster.Tuning;

/// <summary>A Parzen estimator as TPE builds it: a mixture with one component per observation and one for the prior. A
/// component is a product of one kernel per parameter (<see cref="ParzenKernels"/>), so the same class is the univariate
/// estimator (one parameter) and the multivariate one (all of them, each observation one joint component).
/// <para>Mixture weights (Optuna's <c>default_weights</c>): with observations in trial order, the newest 25 weigh 1 and
/// the older ones ramp linearly from 1/n up towards 1, so that trials from early in the search, when the good group was
/// judged against little, count less; the prior weighs <c>prior_weight</c>. Weights are then normalised.</para></summary>
internal sealed class ParzenEstimator
{
    private const int FlatWeights = 25;

    private readonly ParzenKernels[] _parameters;
    private readonly double[] _logWeights;
    private readonly double[] _cumulative;

    /// <param name="domains">The parameters' domains, in the order of the points' coordinates.</param>
    /// <param name="observations">The observed points, oldest first (their weights depend on the order).</param>
    /// <param name="priorWeight">The prior component's weight, against 1 for a recent observation.</param>
    public ParzenEstimator(IReadOnlyList<Domain> domains, IReadOnlyList<double[]> observations, double priorWeight)
    {
        _parameters = new ParzenKernels[domains.Count];
        for (var d = 0; d < domains.Count; d++)
        {
            var column = observations.Select(point => point[d]).ToArray();
            _parameters[d] = ParzenKernels.Fit(domains[d], column, priorWeight);
        }

        double[] weights = [.. ObservationWeights(observations.Count), priorWeight];
        var total = weights.Sum();
        _logWeights = weights.Select(w => Math.Log(w / total)).ToArray();
        _cumulative = new double[weights.Length];
        var running = 0.0;
        for (var k = 0; k < weights.Length; k++)
        {
            running += weights[k] / total;
            _cumulative[k] = running;
        }
    }

    /// <summary>The number of components: the observations and the prior.</summary>
    public int Components => _logWeights.Length;

    /// <summary>Optuna's default weights of n observations, oldest first.</summary>
    public static double[] ObservationWeights(int n)
    {
        var weights = new double[n];
        var ramp = Math.Max(0, n - FlatWeights);
        for (var i = 0; i < n; i++)
        {
            // np.linspace(1/n, 1, ramp): from 1/n to 1 inclusive in ramp steps (a single step is 1/n).
            weights[i] = i >= ramp ? 1.0 : ramp == 1 ? 1.0 / n : (1.0 / n) + ((1.0 - (1.0 / n)) * i / (ramp - 1));
        }

        return weights;
    }

    /// <summary>A draw: a component by weight, then each parameter from that component's kernel.</summary>
    public double[] Sample(ref SplitMix64 rng)
    {
        var u = rng.NextDouble();
        var component = Array.FindIndex(_cumulative, c => u < c);
        if (component < 0)
        {
            component = _cumulative.Length - 1;
        }

        var point = new double[_parameters.Length];
        for (var d = 0; d < _parameters.Length; d++)
        {
            point[d] = _parameters[d].Sample(component, ref rng);
        }

        return point;
    }

    /// <summary>The log density of the mixture at <paramref name="point"/> (log probability for lists and integers).</summary>
    public double LogDensity(IReadOnlyList<double> point)
    {
        var terms = new double[_logWeights.Length];
        for (var k = 0; k < terms.Length; k++)
        {
            var sum = _logWeights[k];
            for (var d = 0; d < _parameters.Length; d++)
            {
                sum += _parameters[d].LogKernel(k, point[d]);
            }

            terms[k] = sum;
        }

        return NormalMath.LogSumExp(terms);
    }
}
