using MathNet.Numerics.Distributions;

namespace ExperimentCluster.Tuning.Tests;

public sealed class LogExpectedImprovementTests
{
    /// <summary>The textbook closed form, (best - mean) Phi(z) + sigma phi(z), z = (best - mean) / sigma.</summary>
    private static double ClosedForm(double mean, double variance, double best)
    {
        var sigma = Math.Sqrt(variance);
        var z = (best - mean) / sigma;
        return ((best - mean) * Normal.CDF(0, 1, z)) + (sigma * Normal.PDF(0, 1, z));
    }

    [Theory]
    [InlineData(0.0, 1.0, 0.0)]
    [InlineData(0.3, 0.04, 0.1)]
    [InlineData(-1.0, 2.0, 0.5)]
    [InlineData(2.0, 0.25, 0.0)]
    [InlineData(4.9, 1.0, 0.0)]
    [InlineData(5.1, 1.0, 0.0)]
    [InlineData(7.0, 1.0, 0.0)]
    [InlineData(0.0, 1.0, 6.0)]
    public void It_equals_the_log_of_the_closed_form_where_that_is_accurate(double mean, double variance, double best)
    {
        var expected = Math.Log(ClosedForm(mean, variance, best));

        Assert.Equal(expected, LogExpectedImprovement.Of(mean, variance, best), 6);
    }

    [Fact]
    public void Both_branches_agree_where_they_meet()
    {
        var direct = LogExpectedImprovement.Standard(-5 + 1e-12);
        var tail = LogExpectedImprovement.Standard(-5 - 1e-12);

        Assert.Equal(direct, tail, 8);
    }

    [Theory]
    [InlineData(-40.0)]
    [InlineData(-100.0)]
    [InlineData(-1e4)]
    [InlineData(-1e8)]
    public void It_stays_finite_far_in_the_tail_where_the_closed_form_is_zero(double z)
    {
        var value = LogExpectedImprovement.Standard(z);

        Assert.Equal(0, ClosedForm(-z, 1, 0));
        Assert.True(double.IsFinite(value));
        // h(z) ~ phi(z) / z^2 for large -z.
        var asymptote = (-0.5 * z * z) - (0.5 * Math.Log(2 * Math.PI)) - (2 * Math.Log(-z));
        Assert.True(Math.Abs(value - asymptote) < 1e-2 * Math.Abs(asymptote) + 1e-3, $"{value} vs {asymptote}");
    }

    [Fact]
    public void It_increases_with_z_everywhere()
    {
        var previous = double.NegativeInfinity;
        for (var z = -60.0; z <= 10; z += 0.01)
        {
            var value = LogExpectedImprovement.Standard(z);
            Assert.True(value > previous, $"not increasing at z = {z}");
            previous = value;
        }
    }

    [Fact]
    public void Without_variance_it_is_the_log_of_the_plain_improvement()
    {
        Assert.Equal(Math.Log(0.5), LogExpectedImprovement.Of(1.0, 0, 1.5), 12);
        Assert.Equal(double.NegativeInfinity, LogExpectedImprovement.Of(2.0, 0, 1.5));
    }
}
