using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains.Tests.Sweeps;

public sealed class SweepRefinementTests
{
    private const string Random = """
        { // a comment the refined file does not keep
          "name": "wide", "seeds": 2, "max_runs": 20, "concurrency": 4,
          "training": { "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 5 },
          "search": { "strategy": "random", "trials": 10, "seed": 7, "space": {
            "learning_rate": { "log_uniform": [0.0001, 1] }, "layers": { "values": [[8], [32]] } } },
          "early_stopping": { "rule": "median" }
        }
        """;

    private static readonly SweepAnswer Best = new("", new Dictionary<string, string> { ["learning_rate"] = "0.02", ["layers"] = "[32]" }, 0.02);

    [Fact]
    public void A_random_sweep_is_refined_to_a_log_uniform_range_half_a_decade_each_way_with_the_others_fixed_and_the_rest_kept()
    {
        var next = SweepDefinition.Parse(SweepRefinement.Next(Random, Best, 0.5, 5, searchOthers: false).ToJsonString());

        Assert.Equal("wide-refine", next.Name);
        Assert.Equal("random", next.Strategy);
        Assert.Equal(new LogUniformDomain(0.006325, 0.06325), next.Space.Find("learning_rate")!.Domain);
        Assert.Equal(["[32]"], ((ValuesDomain)next.Space.Find("layers")!.Domain).Values);
        Assert.Equal([0, 1], next.Seeds);
        Assert.Equal(("median", 20, 4, 10, 7UL), (next.Rule, next.MaxRuns, next.Concurrency, next.Trials, next.SearchSeed));
    }

    [Fact]
    public void Search_others_keeps_their_space_and_a_grid_gets_log_spaced_rates_with_the_best_in_the_middle()
    {
        var grid = Random.Replace("\"random\", \"trials\": 10", "\"grid\"", StringComparison.Ordinal)
            .Replace("{ \"log_uniform\": [0.0001, 1] }", "{ \"values\": [0.001, 0.01, 0.1] }", StringComparison.Ordinal);

        var next = SweepDefinition.Parse(SweepRefinement.Next(grid, Best, 1, 3, searchOthers: true).ToJsonString());

        Assert.Equal("grid", next.Strategy);
        Assert.Equal(["0.002", "0.02", "0.2"], ((ValuesDomain)next.Space.Find("learning_rate")!.Domain).Values);
        Assert.Equal(["[8]", "[32]"], ((ValuesDomain)next.Space.Find("layers")!.Domain).Values);
    }

    [Fact]
    public void A_conditional_parameter_the_best_configuration_does_not_read_leaves_the_refinement()
    {
        var conditional = Random.Replace("\"layers\": { \"values\": [[8], [32]] }",
            "\"optimizer\": { \"values\": [\"sgd\", \"momentum\", \"adam\"] }, \"momentum\": { \"values\": [0.5, 0.9] }", StringComparison.Ordinal);
        var adam = new SweepAnswer("", new Dictionary<string, string> { ["learning_rate"] = "0.02", ["optimizer"] = "\"adam\"" }, 0.02);
        var momentum = new SweepAnswer("", new Dictionary<string, string> { ["learning_rate"] = "0.02", ["optimizer"] = "\"momentum\"", ["momentum"] = "0.9" }, 0.02);

        var afterAdam = SweepDefinition.Parse(SweepRefinement.Next(conditional, adam, 0.5, 5, searchOthers: false).ToJsonString());
        var afterMomentum = SweepDefinition.Parse(SweepRefinement.Next(conditional, momentum, 0.5, 5, searchOthers: false).ToJsonString());

        Assert.Equal(["learning_rate", "optimizer"], afterAdam.Space.Parameters.Select(p => p.Name));
        Assert.Equal(["0.9"], ((ValuesDomain)afterMomentum.Space.Find("momentum")!.Domain).Values);
    }

    [Fact]
    public void A_grid_rate_that_rounds_to_a_measured_rate_is_that_rate_so_the_warm_start_reuses_it()
    {
        // lr-decades measured 0.1 x 10^(+-0.25) and 0.1 x 10^0.5 with 12 digits; written to four, they would train again.
        var grid = SweepRefinement.Grid(0.177827941004, 0.5, 5, measured: [0.1, 0.316227766017, 0.562341325191, 0.01]);

        Assert.Equal([0.05623, 0.1, 0.177827941004, 0.316227766017, 0.562341325191], grid);
        Assert.Equal([0.05623, 0.1, 0.177827941004, 0.3162, 0.5623], SweepRefinement.Grid(0.177827941004, 0.5, 5));
    }

    [Fact]
    public void A_sweep_with_no_best_rate_or_no_learning_rate_is_refused_naming_why()
    {
        var none = Assert.Throws<SweepException>(() => SweepRefinement.Next(Random, new SweepAnswer("", null, null), 0.5, 5, false));
        Assert.Contains("no best learning rate", none.Message, StringComparison.Ordinal);
        var noRate = Random.Replace("\"learning_rate\": { \"log_uniform\": [0.0001, 1] }, ", "", StringComparison.Ordinal);
        var missing = Assert.Throws<SweepException>(() => SweepRefinement.Next(noRate, Best, 0.5, 5, false));
        Assert.StartsWith("search.space:", missing.Message, StringComparison.Ordinal);
    }
}
