namespace ExperimentCluster.Tuning.Tests;

/// <summary>The Parzen estimator TPE fits (issue 12): densities that are densities, Optuna's bandwidth rule, its
/// categorical kernels and its weights of older trials.</summary>
public sealed class ParzenEstimatorTests
{
    private static double[] Point(double x) => [x];

    private static double Integrate(Func<double, double> f, double low, double high, int steps = 20000)
    {
        var h = (high - low) / steps;
        var sum = 0.5 * (f(low) + f(high));
        for (var i = 1; i < steps; i++)
        {
            sum += f(low + (i * h));
        }

        return sum * h;
    }

    [Fact]
    public void A_numeric_estimator_integrates_to_one_over_its_interval()
    {
        var domain = new UniformDomain(0, 10);
        var estimator = new ParzenEstimator([domain], [[0.2], [2], [2.1], [9.9]], priorWeight: 1.0);

        var total = Integrate(x => Math.Exp(estimator.LogDensity([x])), 0, 10);

        Assert.Equal(1.0, total, 3);
    }

    [Fact]
    public void A_log_domain_estimator_integrates_to_one_on_the_log_line()
    {
        var domain = new LogUniformDomain(1e-4, 1);
        var estimator = new ParzenEstimator([domain], [[Math.Log(1e-3)], [Math.Log(0.2)]], priorWeight: 1.0);

        var total = Integrate(x => Math.Exp(estimator.LogDensity([x])), Math.Log(1e-4), Math.Log(1));

        Assert.Equal(1.0, total, 3);
    }

    [Fact]
    public void Integer_and_list_estimators_sum_to_one_over_their_values()
    {
        var integers = new ParzenEstimator([new IntUniformDomain(1, 5)], [[2], [2], [5]], priorWeight: 1.0);
        var list = new ParzenEstimator([new ValuesDomain(["1", "2", "3"])], [[0], [2], [2]], priorWeight: 1.0);

        Assert.Equal(1.0, Enumerable.Range(1, 5).Sum(v => Math.Exp(integers.LogDensity([v]))), 9);
        Assert.Equal(1.0, Enumerable.Range(0, 3).Sum(v => Math.Exp(list.LogDensity([v]))), 9);
    }

    [Fact]
    public void A_joint_estimator_integrates_to_one_over_the_product_space()
    {
        var estimator = new ParzenEstimator([new UniformDomain(0, 1), new ValuesDomain(["\"a\"", "\"b\""])], [[0.1, 0], [0.7, 1], [0.75, 1]], priorWeight: 1.0);

        var total = Integrate(x => Math.Exp(estimator.LogDensity([x, 0])) + Math.Exp(estimator.LogDensity([x, 1])), 0, 1);

        Assert.Equal(1.0, total, 3);
    }

    [Fact]
    public void Bandwidths_are_the_larger_gap_inner_gaps_at_the_ends_clipped_and_the_prior_spans_the_range()
    {
        // Sorted 2, 3, 7 on [0, 10]: 2 is the lowest, so its inner gap 1 (not 2 to the end); 3 has max(1, 4) = 4; 7 is the
        // highest, so its inner gap 4 (not 3 to the end). The magic clip raises 1 to 10 / min(100, 3 + 2) = 2.
        var sigmas = NumericKernels.Bandwidths([7, 2, 3], 0, 10);

        Assert.Equal([4, 2, 4, 10], sigmas);
    }

    [Fact]
    public void A_single_observation_takes_its_larger_gap_to_the_ends()
    {
        Assert.Equal([9, 10], NumericKernels.Bandwidths([9], 0, 10));
        Assert.Equal([5, 10], NumericKernels.Bandwidths([5], 0, 10));
        // Two at the same place have no gap at all: the clip floor, 10 / min(100, 2 + 2).
        Assert.Equal([2.5, 2.5, 10], NumericKernels.Bandwidths([5, 5], 0, 10));
    }

    [Fact]
    public void The_clip_floor_shrinks_with_the_observations_down_to_a_hundredth_of_the_range()
    {
        var many = Enumerable.Repeat(5.0, 200).ToArray();

        var sigmas = NumericKernels.Bandwidths(many, 0, 10);

        Assert.All(sigmas.Take(200), s => Assert.Equal(0.1, s, 12));
    }

    [Fact]
    public void A_categorical_kernel_puts_one_on_its_value_and_the_prior_weight_spread_over_all_values()
    {
        // Three observations and the prior: 4 kernels, each value gets prior_weight / 4 = 0.25, the observed one 1 more.
        var kernels = new CategoricalKernels(4, [1, 1, 3], priorWeight: 1.0);

        double P(int k, int value) => Math.Exp(kernels.LogKernel(k, value));

        Assert.Equal([0.125, 0.625, 0.125, 0.125], Enumerable.Range(0, 4).Select(v => Math.Round(P(0, v), 12)));
        Assert.Equal([0.125, 0.125, 0.125, 0.625], Enumerable.Range(0, 4).Select(v => Math.Round(P(2, v), 12)));
        Assert.Equal([0.25, 0.25, 0.25, 0.25], Enumerable.Range(0, 4).Select(v => Math.Round(P(3, v), 12)));
    }

    [Fact]
    public void A_list_estimator_mixes_the_kernels_with_equal_weights_for_recent_trials_and_the_prior()
    {
        var estimator = new ParzenEstimator([new ValuesDomain(["0", "1", "2", "3"])], [[1], [1], [3]], priorWeight: 1.0);

        // (0.625 + 0.625 + 0.125 + 0.25) / 4
        Assert.Equal(0.40625, Math.Exp(estimator.LogDensity([1])), 12);
    }

    [Fact]
    public void Older_trials_beyond_twenty_five_ramp_down_linearly_from_one_over_n()
    {
        Assert.All(ParzenEstimator.ObservationWeights(25), w => Assert.Equal(1, w));
        var thirty = ParzenEstimator.ObservationWeights(30);

        Assert.Equal(1.0 / 30, thirty[0], 12);
        Assert.Equal(1.0 / 30 + (1 - (1.0 / 30)) * 2 / 4, thirty[2], 12);
        Assert.Equal(1.0, thirty[4], 12);
        Assert.All(thirty.Skip(5), w => Assert.Equal(1, w));
        Assert.Equal(1.0 / 26, ParzenEstimator.ObservationWeights(26)[0], 12);
    }

    [Fact]
    public void A_narrow_integer_kernel_gives_its_own_value_nearly_all_of_its_mass()
    {
        var kernels = new NumericKernels(new IntUniformDomain(1, 3), Enumerable.Repeat(2.0, 98).ToArray());

        Assert.True(Math.Exp(kernels.LogKernel(0, 2)) > 0.999);
        Assert.True(kernels.LogKernel(0, 3) < -100, $"{kernels.LogKernel(0, 3)}");
    }

    [Fact]
    public void Draws_stay_inside_the_interval_and_follow_the_kernels()
    {
        var estimator = new ParzenEstimator([new UniformDomain(0, 10)], Enumerable.Range(0, 30).Select(_ => Point(8.0)).ToArray(), priorWeight: 1.0);
        var rng = new SplitMix64(42);

        var draws = Enumerable.Range(0, 2000).Select(_ => estimator.Sample(ref rng)[0]).ToArray();

        Assert.All(draws, x => Assert.InRange(x, 0, 10));
        Assert.True(draws.Count(x => Math.Abs(x - 8) < 1) > 1600, $"{draws.Count(x => Math.Abs(x - 8) < 1)} of 2000 near 8");
    }
}
