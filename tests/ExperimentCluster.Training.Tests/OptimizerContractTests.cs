using ExperimentCluster.Training.Optimizers;

namespace ExperimentCluster.Training.Tests;

public sealed class OptimizerContractTests
{
    /// <summary>
    /// The contract table: every optimizer, on every problem of the bank, with the settings it is expected to converge
    /// under, must end within 1e-3 of the minimum. A new optimizer adds its lines here.
    /// </summary>
    public static TheoryData<string, string, double, int> Contract => new()
    {
        { "sgd", "quadratic_bowl", 0.05, 1_000 },
        { "sgd", "rosenbrock", 0.0015, 60_000 },
        { "momentum", "quadratic_bowl", 0.02, 1_000 },
        { "momentum", "rosenbrock", 0.0005, 20_000 },
        { "nesterov", "quadratic_bowl", 0.02, 1_000 },
        { "nesterov", "rosenbrock", 0.0005, 20_000 },
        { "adam", "quadratic_bowl", 0.05, 3_000 },
        { "adam", "rosenbrock", 0.002, 30_000 },
        { "adamw", "quadratic_bowl", 0.05, 3_000 },
        { "adamw", "rosenbrock", 0.002, 30_000 },
    };

    [Fact]
    public void Contract_table_covers_every_optimizer_on_every_problem()
    {
        var covered = Contract.Select(row => ((string)row[0], (string)row[1])).ToHashSet();
        foreach (var optimizer in OptimizerCatalog.Names)
            foreach (var problem in new[] { "quadratic_bowl", "rosenbrock" })
                Assert.Contains((optimizer, problem), covered);
    }

    [Theory]
    [MemberData(nameof(Contract))]
    public void Optimizer_reaches_the_minimum(string optimizerName, string problemName, double learningRate, int steps)
    {
        var problem = TestProblems.ByName(problemName);
        var x = Minimize(OptimizerCatalog.Create(new TrainingSpec { Optimizer = optimizerName }), problem, learningRate, steps);
        var distance = Math.Sqrt(x.Zip(problem.Minimum, (a, b) => (a - b) * (a - b)).Sum());
        Assert.True(distance < 1e-3, $"{optimizerName} on {problemName} ended at ({string.Join(", ", x)}), {distance:G3} from the minimum");
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("nesterov")]
    [InlineData("adam")]
    public void Coupled_weight_decay_moves_the_minimum_to_the_penalised_one(string optimizerName)
    {
        // ½ a (x - c)² + ½ wd x² has its minimum at a c / (a + wd).
        const double Decay = 0.5;
        var optimizer = OptimizerCatalog.Create(new TrainingSpec { Optimizer = optimizerName, WeightDecay = Decay });
        var x = Minimize(optimizer, TestProblems.QuadraticBowl, optimizerName == "adam" ? 0.01 : 0.02, 5_000);
        Assert.Equal(1.0 * 1 / (1 + Decay), x[0], 3);
        Assert.Equal(10.0 * -2 / (10 + Decay), x[1], 3);
    }

    [Fact]
    public void AdamW_decays_weights_by_the_same_factor_whatever_the_gradient()
    {
        // Decoupled decay: with a zero gradient Adam's step is zero, so only p ← p (1 - lr wd) remains.
        var optimizer = OptimizerCatalog.Create(new TrainingSpec { Optimizer = "adamw", WeightDecay = 0.1 });
        var state = new OptimizerState<double>(optimizer.MomentBuffers, 2);
        double[] p = [2.0, -4.0];
        for (var i = 0; i < 10; i++) optimizer.Step<double>(p, new double[2], state, 0.5);
        Assert.Equal(2.0 * Math.Pow(0.95, 10), p[0], 12);
        Assert.Equal(-4.0 * Math.Pow(0.95, 10), p[1], 12);
        Assert.Equal(10, state.Steps);
    }

    [Fact]
    public void Clipping_scales_the_gradient_to_the_limit_and_keeps_its_direction()
    {
        double[] g = [3.0, -4.0, 0, 0, 0, 0, 0, 0, 0, 12.0];
        var before = GradientClipping.Clip<double>(g, 1.3);
        Assert.Equal(13.0, before, 12);
        Assert.Equal(1.3, Math.Sqrt(g.Sum(v => v * v)), 6);
        Assert.Equal(-4.0 / 3.0, g[1] / g[0], 12);
        double[] small = [0.3, 0.4];
        GradientClipping.Clip<double>(small, 1.0);
        Assert.Equal([0.3, 0.4], small);
    }

    [Fact]
    public void Vector_and_scalar_lanes_update_identically()
    {
        // 19 parameters: two 8-lane vectors of doubles and a scalar tail of three; every lane starts the same, so all must end the same.
        var optimizer = OptimizerCatalog.Create(new TrainingSpec { Optimizer = "adam", WeightDecay = 0.01 });
        var state = new OptimizerState<double>(optimizer.MomentBuffers, 19);
        var p = Enumerable.Repeat(0.7, 19).ToArray();
        for (var i = 0; i < 25; i++) optimizer.Step<double>(p, Enumerable.Repeat(0.3 - (0.01 * i), 19).ToArray(), state, 0.01);
        Assert.All(p, v => Assert.Equal(BitConverter.DoubleToInt64Bits(p[0]), BitConverter.DoubleToInt64Bits(v)));
    }

    private static double[] Minimize(IOptimizer optimizer, TestProblem problem, double learningRate, int steps)
    {
        var x = problem.Start.ToArray();
        var g = new double[x.Length];
        var state = new OptimizerState<double>(optimizer.MomentBuffers, x.Length);
        for (var i = 0; i < steps; i++)
        {
            problem.ValueAndGradient(x, g);
            optimizer.Step<double>(x, g, state, learningRate);
        }
        return x;
    }
}
