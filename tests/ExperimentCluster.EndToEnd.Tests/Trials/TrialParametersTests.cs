using ExperimentCluster.Trial;

namespace ExperimentCluster.EndToEnd.Tests.Trials;

/// <summary>The .NET helper reading the protocol's environment: values, defaults, and errors that name the variable.</summary>
public sealed class TrialParametersTests
{
    private static TrialContext Trial(Dictionary<string, string> variables)
    {
        variables.TryAdd("EXCL_CHECKPOINT_DIR", Programs.TempFolder());
        return TrialContext.FromVariables(variables, new StringWriter());
    }

    private static string ParamsFile(string json)
    {
        var path = Path.Combine(Programs.TempFolder(), "params.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void The_params_file_and_the_trial_variables_are_read()
    {
        var folder = Programs.TempFolder();
        var trial = Trial(new()
        {
            ["EXCL_PARAMS"] = ParamsFile("""{"learning_rate": 0.01, "batch_size": 32, "optimizer": "adam", "layers": [64, 32], "width": 16.0}"""),
            ["EXCL_SEED"] = "7",
            ["EXCL_SWEEP"] = "s-1",
            ["EXCL_RUN"] = "12",
            ["EXCL_MAX_EPOCHS"] = "30",
            ["EXCL_CHECKPOINT_DIR"] = folder,
        });

        Assert.Equal(0.01, trial.Double("learning_rate"));
        Assert.Equal(32, trial.Int("batch_size"));
        Assert.Equal(16, trial.Int("width"));
        Assert.Equal("adam", trial.Text("optimizer"));
        Assert.Equal("[64, 32]", trial.Text("layers"));
        Assert.Equal((7, "s-1", 12, 30, folder), (trial.Seed, trial.Sweep, trial.Run, trial.MaxEpochs, trial.CheckpointDirectory));
    }

    [Fact]
    public void Without_a_params_file_the_EXCL_PARAM_variables_are_the_hyperparameters_by_lower_cased_name()
    {
        var trial = Trial(new() { ["EXCL_PARAM_LEARNING_RATE"] = "1E-05", ["EXCL_PARAM_OPTIMIZER"] = "adam", ["EXCL_PARAM_LAYERS"] = "[64]" });

        Assert.Equal(1e-5, trial.Double("learning_rate"));
        Assert.Equal("adam", trial.Text("optimizer"));
        Assert.Equal("[64]", trial.Text("layers"));
    }

    [Fact]
    public void Outside_the_cluster_there_are_no_hyperparameters_seed_0_and_a_new_temporary_checkpoint_folder()
    {
        var trial = TrialContext.FromVariables(new Dictionary<string, string>(), new StringWriter());

        Assert.Empty(trial.Parameters);
        Assert.Equal(0.1, trial.Double("learning_rate", 0.1));
        Assert.Equal((0, null, null, null), (trial.Seed, trial.Sweep, trial.Run, trial.MaxEpochs));
        Assert.True(Directory.Exists(trial.CheckpointDirectory));
        Assert.Empty(Directory.GetFileSystemEntries(trial.CheckpointDirectory));
        Assert.Equal(0, trial.Restore<double[]>().Epoch);
    }

    [Fact]
    public void A_missing_hyperparameter_without_a_default_is_an_error_naming_it_and_the_ones_there_are()
    {
        var trial = Trial(new() { ["EXCL_PARAMS"] = ParamsFile("""{"batch_size": 32}""") });

        var error = Assert.Throws<KeyNotFoundException>(() => trial.Double("learning_rate"));
        Assert.Contains("'learning_rate' is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("batch_size", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"x": "fast"}""", "number")]
    [InlineData("""{"x": 2.5}""", "whole number")]
    public void A_hyperparameter_of_the_wrong_kind_is_an_error_naming_it(string json, string kind)
    {
        var trial = Trial(new() { ["EXCL_PARAMS"] = ParamsFile(json) });

        var error = Assert.Throws<FormatException>(() => kind == "number" ? trial.Double("x") : trial.Int("x"));
        Assert.Contains("hyperparameter 'x'", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"not a {kind}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EXCL_SEED", "seven", "not a whole number")]
    [InlineData("EXCL_RUN", "-1", "at least 0")]
    [InlineData("EXCL_MAX_EPOCHS", "0", "at least 1")]
    [InlineData("EXCL_CHECKPOINT_EPOCH", "x", "not a whole number")]
    public void A_bad_trial_variable_is_an_error_naming_it_and_the_reason(string name, string value, string reason)
    {
        var error = Assert.Throws<FormatException>(() => Trial(new() { [name] = value }));
        Assert.StartsWith(name, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1, 2]", "not an object")]
    [InlineData("{\"learning_rate\": ", "cannot read a JSON object")]
    public void A_params_file_that_is_not_a_json_object_is_an_error_naming_EXCL_PARAMS(string json, string reason)
    {
        var error = Assert.Throws<FormatException>(() => Trial(new() { ["EXCL_PARAMS"] = ParamsFile(json) }));
        Assert.StartsWith("EXCL_PARAMS", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_params_file_is_an_error_naming_EXCL_PARAMS()
    {
        var error = Assert.Throws<FormatException>(() => Trial(new() { ["EXCL_PARAMS"] = "/nonexistent/params.json" }));
        Assert.StartsWith("EXCL_PARAMS '/nonexistent/params.json'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_folder_that_does_not_exist_is_an_error_naming_EXCL_CHECKPOINT_DIR()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => Trial(new() { ["EXCL_CHECKPOINT_DIR"] = "/nonexistent/checkpoint" }));
        Assert.Contains("EXCL_CHECKPOINT_DIR '/nonexistent/checkpoint'", error.Message, StringComparison.Ordinal);
    }
}
