using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains.Tests.Sweeps;

/// <summary>Which runs of an earlier sweep a warm-started sweep keeps (<see cref="WarmStartCompatibility"/>), and the
/// warm_start block's own errors.</summary>
public sealed class WarmStartCompatibilityTests
{
    private static SweepDefinition Sweep(string space, string training = "\"epochs\": 5", string seeds = "3", string strategy = "\"grid\"") => SweepDefinition.Parse($$"""
        { "training": { "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, {{training}} },
          "seeds": {{seeds}}, "search": { "strategy": {{strategy}}, "space": { {{space}} } } }
        """);

    private static readonly SweepDefinition Decades = Sweep("\"learning_rate\": { \"values\": [0.001, 0.01, 0.1, 1, 10] }");
    private static readonly SweepDefinition Refined = Sweep("\"learning_rate\": { \"values\": [0.03162, 0.1, 0.3162] }");

    private static RunSummary Run(string lr, string status = "Completed", int seed = 0, double? final = 0.3, string? extraKey = null, string? extraValue = null)
    {
        var config = new Dictionary<string, string> { ["learning_rate"] = lr, ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (extraKey is not null)
            config[extraKey] = extraValue!;
        return new RunSummary(0, config, status, final, final, 5, status == "Diverged" ? 2 : null);
    }

    [Fact]
    public void A_finished_run_at_a_value_inside_the_new_space_with_the_same_settings_is_kept()
    {
        Assert.Null(WarmStartCompatibility.Problem(Refined, Decades, Run("0.1")));
        Assert.Null(WarmStartCompatibility.Problem(Refined, Decades, Run("0.1", "Stopped", seed: 2)));
        Assert.Equal(new Dictionary<string, string> { ["learning_rate"] = "0.1" }, WarmStartCompatibility.ConfigIn(Refined, Run("0.1").Config));
    }

    [Fact]
    public void A_value_outside_the_new_space_is_not_kept()
    {
        Assert.Equal("learning_rate = 10 is outside this sweep's space", WarmStartCompatibility.Problem(Refined, Decades, Run("10", "Diverged", final: null)));
        Assert.Equal("learning_rate = 0.01 is outside this sweep's space", WarmStartCompatibility.Problem(Refined, Decades, Run("0.01")));
        var range = Sweep("\"learning_rate\": { \"log_uniform\": [0.03, 0.3] }", strategy: "\"tpe\", \"trials\": 4");
        Assert.Null(WarmStartCompatibility.Problem(range, Decades, Run("0.1")));
        Assert.NotNull(WarmStartCompatibility.Problem(range, Decades, Run("1")));
    }

    [Fact]
    public void Different_training_settings_are_not_kept_whatever_the_value()
    {
        var longer = Sweep("\"learning_rate\": { \"values\": [0.1] }", "\"epochs\": 20");
        Assert.StartsWith("it trained with other settings", WarmStartCompatibility.Problem(longer, Decades, Run("0.1")), StringComparison.Ordinal);
        var adam = Sweep("\"learning_rate\": { \"values\": [0.1] }", "\"epochs\": 5, \"momentum\": 0.5");
        Assert.StartsWith("it trained with other settings", WarmStartCompatibility.Problem(adam, Decades, Run("0.1")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_the_old_sweep_swept_and_the_new_one_fixes_must_match_the_fixed_value()
    {
        var wide = Sweep("\"learning_rate\": { \"values\": [0.1] }, \"batch_size\": { \"values\": [16, 64] }");
        Assert.Null(WarmStartCompatibility.Problem(Refined, wide, Run("0.1", extraKey: "batch_size", extraValue: "16")));
        Assert.StartsWith("it trained with other settings", WarmStartCompatibility.Problem(Refined, wide, Run("0.1", extraKey: "batch_size", extraValue: "64")), StringComparison.Ordinal);
        // The other way: the new sweep searches batch_size, which the old runs did not set.
        Assert.Equal("it did not sweep batch_size", WarmStartCompatibility.Problem(wide, Refined, Run("0.1")));
    }

    [Fact]
    public void Diverged_runs_are_kept_failed_cancelled_and_unfinished_ones_are_not()
    {
        var wide = Sweep("\"learning_rate\": { \"values\": [0.1, 1, 10] }");
        Assert.Null(WarmStartCompatibility.Problem(wide, Decades, Run("10", "Diverged", final: null)));
        Assert.Equal("it ended failed, with no result to reuse", WarmStartCompatibility.Problem(wide, Decades, Run("1", "Failed", final: null)));
        Assert.Equal("it ended cancelled, with no result to reuse", WarmStartCompatibility.Problem(wide, Decades, Run("1", "Cancelled")));
        Assert.Equal("it has not finished, with no result to reuse", WarmStartCompatibility.Problem(wide, Decades, Run("1", "Running")));
        Assert.Equal("it has no final validation loss", WarmStartCompatibility.Problem(wide, Decades, Run("1", "Completed", final: null)));
    }

    [Fact]
    public void A_seed_the_new_sweep_does_not_run_is_not_kept()
    {
        var oneSeed = Sweep("\"learning_rate\": { \"values\": [0.1] }", seeds: "[0]");
        Assert.Null(WarmStartCompatibility.Problem(oneSeed, Decades, Run("0.1", seed: 0)));
        Assert.Equal("seed 2 is not one of this sweep's seeds", WarmStartCompatibility.Problem(oneSeed, Decades, Run("0.1", seed: 2)));
    }

    [Theory]
    [InlineData("\"warm_start\": [\"a\"]", "warm_start: must be an object")]
    [InlineData("\"warm_start\": { \"sweeps\": \"a\" }", "warm_start.sweeps: must be a list of sweep ids")]
    [InlineData("\"warm_start\": { \"sweeps\": [] }", "warm_start.sweeps: the list is empty")]
    [InlineData("\"warm_start\": { \"sweeps\": [\"a\", 3] }", "warm_start.sweeps[1]: must be a sweep id (a string)")]
    [InlineData("\"warm_start\": { \"sweeps\": [\"a\", \"a\"] }", "warm_start.sweeps[1]: repeats 'a'")]
    [InlineData("\"warm_start\": { \"sweeps\": [\"../x\"] }", "warm_start.sweeps[0]: not a sweep id: must start with a letter or a digit")]
    [InlineData("\"warm_start\": { \"sweep\": [\"a\"] }", "warm_start.sweep: unknown key (did you mean 'sweeps'?); expected one of: sweeps")]
    public void A_bad_warm_start_block_is_refused_with_its_path(string block, string error)
    {
        var text = $$"""{ "training": { "dataset": "iris", "epochs": 2 }, "search": { "space": { "learning_rate": { "values": [0.1] } } }, {{block}} }""";
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse(text));
        Assert.StartsWith(error, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_good_warm_start_block_lists_the_sweeps_in_order()
    {
        var text = """{ "training": { "dataset": "iris", "epochs": 2 }, "search": { "space": { "learning_rate": { "values": [0.1] } } }, "warm_start": { "sweeps": ["b", "a"] } }""";
        Assert.Equal(["b", "a"], SweepDefinition.Parse(text).WarmStart);
        Assert.Empty(Decades.WarmStart);
    }
}
