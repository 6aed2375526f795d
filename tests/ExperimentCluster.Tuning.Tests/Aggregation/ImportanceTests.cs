using System.Globalization;

namespace ExperimentCluster.Tuning.Tests;

public sealed class ImportanceTests
{
    private static readonly SearchSpace Space = new(
    [
        new Parameter("learning_rate", new LogUniformDomain(1e-4, 1)),
        new Parameter("dropout", new UniformDomain(0, 0.5)),
        new Parameter("activation", new ValuesDomain(["\"relu\"", "\"tanh\""])),
    ]);

    private static string Text(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Random configurations (a fixed seed); <paramref name="loss"/> maps (lr, dropout, activation) to the final loss.
    /// Every run carries a replicate seed that is not in the space.</summary>
    private static List<RunSummary> Runs(int count, Func<double, double, string, double> loss, int seed = 7)
    {
        var random = new Random(seed);
        var runs = new List<RunSummary>();
        for (var n = 0; n < count; n++)
        {
            var lr = Math.Pow(10, -4 + 4 * random.NextDouble());
            var dropout = 0.5 * random.NextDouble();
            var activation = random.Next(2) == 0 ? "\"relu\"" : "\"tanh\"";
            var config = new Dictionary<string, string>
            {
                ["learning_rate"] = Text(lr), ["dropout"] = Text(dropout), ["activation"] = activation, ["seed"] = (n % 3).ToString(CultureInfo.InvariantCulture),
            };
            var final = loss(lr, dropout, activation);
            runs.Add(new RunSummary(n, config, "Completed", final, final, 20, null));
        }
        return runs;
    }

    private static double Share(ImportanceResult result, string name) => result.Parameters.Single(p => p.Parameter == name).Share;

    [Fact]
    public void The_learning_rate_that_decides_the_loss_gets_most_of_the_importance_and_the_parameters_that_do_not_matter_get_little()
    {
        // The loss is best at 1e-2 and grows with the distance in decades; dropout and activation change nothing.
        var result = HyperparameterImportance.Of(Space, Runs(120, (lr, _, _) => 0.05 + Math.Pow(Math.Log10(lr) + 2, 2)));

        Assert.Null(result.Reason);
        Assert.Equal("learning_rate", result.Parameters[0].Parameter);
        Assert.True(Share(result, "learning_rate") > 0.8, $"learning_rate {Share(result, "learning_rate")}");
        Assert.True(Share(result, "dropout") < 0.1, $"dropout {Share(result, "dropout")}");
        Assert.True(Share(result, "activation") < 0.1, $"activation {Share(result, "activation")}");
        Assert.Equal(1.0, result.Parameters.Sum(p => p.Share), 9);
        Assert.DoesNotContain(result.Parameters, p => p.Parameter == "seed");
    }

    [Fact]
    public void A_conditional_parameter_gets_no_share_and_the_others_share_all_of_it()
    {
        // dropout read only under tanh: half the runs have it; the learning rate decides the loss.
        var space = new SearchSpace([.. Space.Parameters.Select(p => p.Name == "dropout" ? p with { When = new Condition("activation", ["\"tanh\""]) } : p)]);
        var runs = Runs(120, (lr, _, _) => 0.05 + Math.Pow(Math.Log10(lr) + 2, 2))
            .Select(r => r.Config["activation"] == "\"tanh\"" ? r : r with { Config = r.Config.Where(kv => kv.Key != "dropout").ToDictionary() }).ToList();

        var result = HyperparameterImportance.Of(space, runs);

        Assert.Equal(["learning_rate", "activation"], result.Parameters.Select(p => p.Parameter));
        Assert.Equal(1.0, result.Parameters.Sum(p => p.Share), 9);
    }

    [Fact]
    public void A_categorical_that_decides_the_loss_comes_first()
    {
        // Within each activation the loss varies by a noise term (the learning rate's far decimals: no region of it is better).
        var result = HyperparameterImportance.Of(Space, Runs(120, (lr, _, activation) => (activation == "\"tanh\"" ? 0.1 : 0.5) + 0.01 * (lr * 1e7 % 1)));

        Assert.Equal("activation", result.Parameters[0].Parameter);
        // Twelve best runs (a tenth of 120) still leave some chance clustering in the continuous parameters (with six,
        // the six best runs' dropouts fell within 0.22..0.48 by chance and dropout tied); the categorical that decided the
        // loss holds the largest share by a margin.
        Assert.True(Share(result, "activation") > 1.5 * Share(result, "learning_rate"), $"activation {Share(result, "activation")}, learning_rate {Share(result, "learning_rate")}");
        Assert.True(Share(result, "activation") > 1.5 * Share(result, "dropout"), $"activation {Share(result, "activation")}, dropout {Share(result, "dropout")}");
    }

    [Fact]
    public void Diverged_runs_count_as_the_worst_so_a_rate_that_diverges_when_high_matters()
    {
        // The completed runs' losses are pure noise; only where runs diverge depends on the rate.
        var runs = Runs(80, (_, dropout, _) => 0.3 + 0.01 * Math.Sin(1000 * dropout))
            .Select(r => double.Parse(r.Config["learning_rate"], CultureInfo.InvariantCulture) > 0.01 ? r with { Status = "Diverged", FinalValLoss = double.NaN } : r)
            .ToList();

        var result = HyperparameterImportance.Of(Space, runs);

        Assert.Equal("learning_rate", result.Parameters[0].Parameter);
    }

    [Fact]
    public void The_same_runs_in_any_order_give_the_same_importance()
    {
        var runs = Runs(50, (lr, dropout, _) => Math.Abs(Math.Log10(lr) + 2) + dropout);
        var shuffled = runs.OrderBy(r => (r.Number * 37) % 50).ToList();

        var a = HyperparameterImportance.Of(Space, runs);
        var b = HyperparameterImportance.Of(Space, runs);
        var c = HyperparameterImportance.Of(Space, shuffled);

        Assert.Equal(a.Parameters, b.Parameters);
        Assert.Equal(a.Parameters, c.Parameters);
    }

    [Fact]
    public void Too_few_finished_runs_give_no_shares_and_say_so()
    {
        var runs = Runs(6, (lr, _, _) => lr);
        // Three completed, one running, one failed, one cancelled: three decided runs are not enough.
        runs[3] = runs[3] with { Status = "Running" };
        runs[4] = runs[4] with { Status = "Failed" };
        runs[5] = runs[5] with { Status = "Cancelled" };

        var result = HyperparameterImportance.Of(Space, runs);

        Assert.Empty(result.Parameters);
        Assert.StartsWith("not enough finished runs", result.Reason, StringComparison.Ordinal);
        Assert.StartsWith("not enough finished runs", HyperparameterImportance.Of(Space, []).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_with_one_value_gets_no_share_and_a_seed_swept_on_purpose_is_measured()
    {
        var space = new SearchSpace(
        [
            new Parameter("seed", new ValuesDomain(["0", "1"])),
            new Parameter("layers", new ValuesDomain(["[32]"])),
        ]);
        var runs = Enumerable.Range(0, 10).Select(n => new RunSummary(n,
            new Dictionary<string, string> { ["seed"] = (n % 2).ToString(CultureInfo.InvariantCulture), ["layers"] = "[32]" },
            "Completed", n % 2 == 0 ? 0.1 : 0.9, n % 2 == 0 ? 0.1 : 0.9, 5, null)).ToList();

        var result = HyperparameterImportance.Of(space, runs);

        Assert.Equal(1.0, Share(result, "seed"));
        Assert.Equal(0.0, Share(result, "layers"));
    }
}
