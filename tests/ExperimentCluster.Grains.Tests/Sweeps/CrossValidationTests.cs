using ExperimentCluster.SweepModel;

namespace ExperimentCluster.Grains.Tests.Sweeps;

/// <summary><c>folds: K</c>: the i-th seed's run validates on fold i mod K, K seeds by default, and the setting is refused
/// where it would be overruled or has no meaning.</summary>
public sealed class CrossValidationTests
{
    private static SweepDefinition Sweep(string top = "", string training = "", string space = "") => SweepDefinition.Parse($$"""
        { "training": { "dataset": "iris", "layers": [8], "batch_size": 16, "epochs": 5 {{training}} },
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01, 0.1] } {{space}} } } {{top}} }
        """);

    private static Dictionary<string, string> Config(int seed) => new() { ["learning_rate"] = "0.1", ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public void Without_seeds_each_of_k_seeds_validates_on_its_own_fold()
    {
        var d = Sweep(""", "folds": 5""");

        Assert.Equal(5, d.Folds);
        Assert.Equal([0, 1, 2, 3, 4], d.Seeds);
        Assert.Equal(10, d.MaxRuns);
        Assert.Equal([(5, 0), (5, 1), (5, 2), (5, 3), (5, 4)], d.Seeds.Select(s => d.SpecFor(Config(s))).Select(spec => (spec.Folds!.Value, spec.Fold)));
        Assert.Equal("each validating on one of 5 folds", d.Objective.SeedsNote);
    }

    [Fact]
    public void A_list_of_seeds_takes_the_folds_in_its_order_and_a_multiple_repeats_them()
    {
        var listed = Sweep(""", "folds": 3, "seeds": [7, 2, 9]""");
        Assert.Equal([0, 1, 2], listed.Seeds.Select(s => listed.SpecFor(Config(s)).Fold));
        Assert.Equal([7, 2, 9], listed.Seeds);

        var twice = Sweep(""", "folds": 2, "seeds": 4, "split_per_seed": false""");
        Assert.Equal([0, 1, 0, 1], twice.Seeds.Select(s => twice.SpecFor(Config(s)).Fold));
        // The partition is the training block's data_seed's.
        Assert.Equal(4, Sweep(""", "folds": 2""", """, "data_seed": 4""").SpecFor(Config(1)).DataSeed);
    }

    [Theory]
    [InlineData(""", "folds": 1""", "", "", "folds", "must be a whole number from 2 to 100: the folds the rows are cut into, one per seed")]
    [InlineData(""", "folds": "5" """, "", "", "folds", "must be a whole number from 2 to 100: the folds the rows are cut into, one per seed")]
    [InlineData(""", "folds": 3, "seeds": 4""", "", "", "seeds", "with folds: 3, each fold validates as many runs as the others: give 3, 6, ... seeds, not 4 (the i-th seed validates on fold i mod 3)")]
    [InlineData(""", "folds": 3, "split_per_seed": true""", "", "", "folds", "split_per_seed draws a split per seed, folds cut one shuffle into parts; choose one")]
    [InlineData(""", "folds": 3""", """, "validation_fraction": 0.3""", "", "folds", "training.validation_fraction sets the validation rows; with folds each run validates on its seed's fold, so leave it out")]
    [InlineData(""", "folds": 3""", """, "folds": 4""", "", "folds", "training.folds sets the validation rows; with folds each run validates on its seed's fold, so leave it out")]
    [InlineData(""", "folds": 3""", "", """, "data_seed": { "values": [1, 2] }""", "folds", "search.space.data_seed is swept; with folds the folds are the parts of one shuffle (data_seed in the training block chooses it)")]
    public void The_setting_is_refused_where_it_would_be_overruled(string top, string training, string space, string path, string reason)
    {
        var error = Assert.Throws<SweepException>(() => Sweep(top, training, space));
        Assert.Equal((path, reason), (error.Path, error.Reason));
    }

    [Fact]
    public void A_command_sweep_is_told_its_program_splits_its_own_data()
    {
        var error = Assert.Throws<SweepException>(() => SweepDefinition.Parse("""
            { "command": { "run": ["python3", "train.py", "--lr", "{learning_rate}"], "epochs": 3 }, "folds": 5,
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01, 0.1] } } } }
            """));
        Assert.Equal("folds", error.Path);
        Assert.StartsWith("a command trial's program splits its own data", error.Reason, StringComparison.Ordinal);
    }
}
