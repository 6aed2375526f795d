using Xunit.Abstractions;

namespace ExperimentCluster.Tuning.Tests;

public sealed class TpeSearchTests(ITestOutputHelper output)
{
    private static readonly SearchSpace Line = new([new Parameter("x", new UniformDomain(-5, 5))]);

    private static double? Quadratic(IReadOnlyDictionary<string, string> c) => Math.Pow(Spaces.Number(c, "x") - 1.3, 2);

    private static double[] Xs(string strategy, ulong seed, string settings = "{}")
    {
        var simulator = new SweepSimulator(strategy, settings, Line, seed, maxTrials: 50, concurrency: 1) { Objective = Quadratic };
        simulator.Run();
        return simulator.History.Select(t => Spaces.Number(t.Config, "x")).ToArray();
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void It_concentrates_around_the_optimum_of_a_quadratic_better_than_random_over_fifty_trials(ulong seed)
    {
        var tpe = Xs("tpe", seed);
        var random = Xs("random", seed);
        int Near(double[] xs) => xs.Skip(10).Count(x => Math.Abs(x - 1.3) < 0.5);
        double LateDistance(double[] xs) => xs.Skip(25).Average(x => Math.Abs(x - 1.3));
        output.WriteLine($"near: tpe {Near(tpe)}, random {Near(random)}; late distance: tpe {LateDistance(tpe)}, random {LateDistance(random)}");

        Assert.True(Near(tpe) >= 2 * Math.Max(1, Near(random)), $"tpe {Near(tpe)} vs random {Near(random)} of 40 trials within 0.5");
        Assert.True(LateDistance(tpe) < 0.75 * LateDistance(random), $"late trials: tpe {LateDistance(tpe)} vs random {LateDistance(random)} from the optimum on average");
        Assert.True(tpe.Min(x => Math.Abs(x - 1.3)) < 0.1);
    }

    [Fact]
    public void With_a_random_startup_the_startup_trials_are_the_random_search_sequence()
    {
        var tpe = Xs("tpe", 5, """{"startup": "random"}""").Take(10);
        var random = Xs("random", 5).Take(10);

        Assert.Equal(random, tpe);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void On_a_categorical_parameter_it_prefers_the_value_of_the_good_trials(bool multivariate)
    {
        var space = new SearchSpace(
        [
            new Parameter("activation", new ValuesDomain(["\"relu\"", "\"tanh\"", "\"sigmoid\""])),
            new Parameter("x", new UniformDomain(0, 1)),
        ]);
        double? Loss(IReadOnlyDictionary<string, string> c) => (c["activation"] == "\"tanh\"" ? 0 : 1) + Spaces.Number(c, "x");
        var settings = multivariate ? """{"multivariate": true}""" : """{"multivariate": false}""";
        var simulator = new SweepSimulator("tpe", settings, space, 3, maxTrials: 60, concurrency: 2) { Objective = Loss };

        simulator.Run();
        var lateTanh = simulator.History.Skip(20).Count(t => t.Config["activation"] == "\"tanh\"");

        // Random search would use tanh in about a third of them (13 of 40); Optuna's categorical kernels keep some mass
        // on the other values, so TPE does not use tanh every time either.
        output.WriteLine($"{lateTanh} of 40 late trials used tanh");
        Assert.True(lateTanh >= 26, $"{lateTanh} of 40 late trials used tanh");
    }

    [Fact]
    public void Integer_and_logarithmic_parameters_are_modelled_in_their_own_scale()
    {
        var space = new SearchSpace(
        [
            new Parameter("lr", new LogUniformDomain(1e-5, 1)),
            new Parameter("units", new IntUniformDomain(1, 512, Log: true)),
        ]);
        double? Loss(IReadOnlyDictionary<string, string> c) =>
            Math.Pow(Math.Log10(Spaces.Number(c, "lr")) + 3, 2) + Math.Pow(Math.Log2(Spaces.Number(c, "units")) - 6, 2);
        var simulator = new SweepSimulator("tpe", "{}", space, 1, maxTrials: 60, concurrency: 1) { Objective = Loss };

        simulator.Run();
        var late = simulator.History.Skip(30).ToArray();

        Assert.All(simulator.History, t => Assert.DoesNotContain(".", t.Config["units"], StringComparison.Ordinal));
        Assert.True(late.Count(t => Math.Abs(Math.Log10(Spaces.Number(t.Config, "lr")) + 3) < 1) >= 18, "late learning rates are not near 1e-3");
        Assert.True(late.Count(t => Spaces.Number(t.Config, "units") is >= 16 and <= 256) >= 18, "late unit counts are not near 64");
    }

    [Fact]
    public void Completed_trials_rank_before_stopped_ones_and_diverged_ones_rank_last()
    {
        Trial T(int n, TrialState state, double? final, params (int Epoch, double Value)[] values) =>
            new(n, new Dictionary<string, string> { ["x"] = "0" }, state, values.Select(v => new RungValue(v.Epoch, v.Value, n)).ToArray(), final, null);
        var history = new[]
        {
            T(0, TrialState.Stopped, null, (1, 0.01)),
            T(1, TrialState.Completed, 0.5, (1, 0.9), (9, 0.5)),
            T(2, TrialState.Diverged, double.NaN, (1, 0.001)),
            T(3, TrialState.Stopped, null, (1, 0.2), (3, 0.3)),
            T(4, TrialState.Completed, 0.2),
            T(5, TrialState.Running, null, (1, 0.0001)),
            T(6, TrialState.Failed, null),
            T(7, TrialState.Stopped, null, (1, 0.005)),
        };

        var ranked = TpeSplit.Rank(history).Select(t => t.Number);

        Assert.Equal([4, 1, 3, 7, 0, 2], ranked);
    }

    [Fact]
    public void Several_trials_asked_for_at_once_differ_from_each_other()
    {
        var simulator = new SweepSimulator("tpe", "{}", Line, 1, maxTrials: 20, concurrency: 1) { Objective = Quadratic };
        simulator.Run();
        var context = simulator.Context() with { MaxTrials = 100 };

        var batch = new TpeSearch().Suggest(context, 4).Select(c => c["x"]).ToArray();

        Assert.Equal(4, batch.Distinct().Count());
    }
}
