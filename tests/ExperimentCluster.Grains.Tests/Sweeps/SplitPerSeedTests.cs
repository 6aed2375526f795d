using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains.Tests.Sweeps;

/// <summary><c>split_per_seed</c>: a run's data_seed is its seed, and the setting is refused where it would be overruled
/// or has no meaning.</summary>
public sealed class SplitPerSeedTests
{
    private static SweepDefinition Sweep(string top = "", string training = "", string space = "") => SweepDefinition.Parse($$"""
        { "training": { "dataset": "iris", "layers": [8], "batch_size": 16, "epochs": 5 {{training}} },
          "seeds": 3, "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01, 0.1] } {{space}} } } {{top}} }
        """);

    private static Dictionary<string, string> Config(int seed) => new() { ["learning_rate"] = "0.1", ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public void Each_seed_draws_its_own_validation_rows_and_without_the_setting_all_share_data_seed_0()
    {
        var split = Sweep(""", "split_per_seed": true""");
        Assert.True(split.SplitPerSeed);
        Assert.Equal([(0, 0), (1, 1), (2, 2)], Enumerable.Range(0, 3).Select(s => split.SpecFor(Config(s))).Select(spec => (spec.Seed, spec.DataSeed)));

        var shared = Sweep();
        Assert.False(shared.SplitPerSeed);
        Assert.Equal([0, 0, 0], Enumerable.Range(0, 3).Select(s => shared.SpecFor(Config(s)).DataSeed));
        Assert.False(Sweep(""", "split_per_seed": false""").SplitPerSeed);
    }

    [Fact]
    public void A_warm_start_keeps_only_runs_that_validated_on_the_same_rows()
    {
        var split = Sweep(""", "split_per_seed": true""");
        var shared = Sweep();
        RunSummary Run(int seed) => new(0, Config(seed), "Completed", 0.3, 0.3, 5, null);
        // Seed 0 validated on data_seed 0 either way; seed 2 on other rows.
        Assert.Null(WarmStartCompatibility.Problem(split, shared, Run(0)));
        Assert.StartsWith("it trained with other settings", WarmStartCompatibility.Problem(split, shared, Run(2)), StringComparison.Ordinal);
        Assert.StartsWith("it trained with other settings", WarmStartCompatibility.Problem(shared, split, Run(1)), StringComparison.Ordinal);
        Assert.Null(WarmStartCompatibility.Problem(split, split, Run(2)));
    }

    [Theory]
    [InlineData(""", "split_per_seed": "yes" """, "", "", "must be true or false")]
    [InlineData(""", "split_per_seed": true""", """, "split_file": "digits_split" """, "", "training.split_file fixes the validation rows; leave one of the two out")]
    [InlineData(""", "split_per_seed": true""", """, "data_seed": 4""", "", "training.data_seed fixes the split; with split_per_seed each run's data_seed is its seed, so leave it out")]
    [InlineData(""", "split_per_seed": true""", "", """, "data_seed": { "values": [1, 2] }""", "search.space.data_seed is swept; with split_per_seed each run's data_seed is its seed, so leave one of the two out")]
    public void The_setting_is_refused_where_it_would_be_overruled(string top, string training, string space, string reason)
    {
        var error = Assert.Throws<SweepException>(() => Sweep(top, training, space));
        Assert.Equal(("split_per_seed", reason), (error.Path, error.Reason));
    }

    [Fact]
    public void A_command_sweep_is_told_its_program_splits_its_own_data()
    {
        var error = Assert.Throws<SweepException>(() => SweepDefinition.Parse("""
            { "command": { "run": ["python3", "train.py", "--lr", "{learning_rate}"], "epochs": 3 }, "seeds": 2, "split_per_seed": true,
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01, 0.1] } } } }
            """));
        Assert.Equal("split_per_seed", error.Path);
        Assert.StartsWith("a command trial's program splits its own data", error.Reason, StringComparison.Ordinal);
    }
}
