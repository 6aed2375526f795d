using System.Text.Json.Nodes;
using CsCheck;
using ExperimentCluster.SweepModel;
using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Grains.Tests.Sweeps;

public sealed class SweepDefinitionTests
{
    /// <summary>The tests' CSVs are written to the temporary folder, so that is their data root.</summary>
    private static readonly DataFiles TempFiles = new([Path.GetTempPath()]);

    private const string Valid = """
        {
          "name": "ok",
          "training": { "dataset": "iris", "layers": [8], "optimizer": "sgd", "batch_size": 16, "epochs": 5 },
          "seeds": 2,
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.001, 0.01, 0.1] }, "activation": { "values": ["relu", "tanh"] } } },
          "concurrency": 4
        }
        """;

    [Fact]
    public void A_valid_grid_sweep_plans_every_point_times_every_seed()
    {
        var d = SweepDefinition.Parse(Valid);
        Assert.Equal(12, d.MaxRuns);
        Assert.Equal([0, 1], d.Seeds);
        Assert.Equal(5, d.MaxEpochs);
        var spec = d.SpecFor(new Dictionary<string, string> { ["learning_rate"] = "0.1", ["activation"] = "\"tanh\"", ["seed"] = "1" });
        Assert.Equal(0.1, spec.LearningRate);
        Assert.Equal("tanh", spec.Activation);
        Assert.Equal(1, spec.Seed);
    }

    [Theory]
    [InlineData("\"values\": [0.001, 0.01, 0.1]", "\"values\": [0.001, -0.01, 0.1]", "search.space.learning_rate.values[1]")]
    [InlineData("\"values\": [0.001, 0.01, 0.1]", "\"values\": [0.001, 0.01, \"NaN\"]", "search.space.learning_rate.values[2]")]
    [InlineData("\"epochs\": 5", "\"epochs\": 0", "training.epochs")]
    [InlineData("\"batch_size\": 16", "\"batch_size\": 1000", "training.batch_size")]
    [InlineData("\"optimizer\": \"sgd\"", "\"optimizer\": \"sgdd\"", "training.optimizer")]
    [InlineData("\"dataset\": \"iris\"", "\"dataset\": \"missing.csv\"", "training.dataset")]
    [InlineData("\"concurrency\": 4", "\"concurency\": 4", "concurency")]
    [InlineData("\"strategy\": \"grid\"", "\"strategy\": \"gird\"", "search.strategy")]
    [InlineData("\"values\": [\"relu\", \"tanh\"]", "\"values\": [\"relu\", \"tanhh\"]", "search.space.activation.values[1]")]
    [InlineData("\"seeds\": 2", "\"seeds\": 0", "seeds")]
    [InlineData("\"concurrency\": 4", "\"concurrency\": 4, \"early_stopping\": { \"rule\": \"asha\", \"settings\": { \"eta\": 3 } }", "early_stopping.settings.eta")]
    [InlineData("\"learning_rate\": { \"values\"", "\"learning_rate\": { \"valuez\"", "search.space.learning_rate.valuez")]
    public void A_bad_sweep_names_the_field_by_its_path(string from, string to, string path)
    {
        var text = Valid.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Valid, text);
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse(text).CheckData(TempFiles));
        Assert.Equal(path, e.Path);
        Assert.False(string.IsNullOrWhiteSpace(e.Reason));
    }

    [Fact]
    public void A_csv_without_the_named_column_is_rejected_before_anything_runs()
    {
        var csv = Path.Combine(Path.GetTempPath(), $"excl-{Guid.NewGuid():N}.csv");
        File.WriteAllText(csv, "a,b,label\n1,2,0\n2,3,1\n3,1,0\n4,4,1\n5,2,0\n");
        try
        {
            var text = Valid.Replace("\"dataset\": \"iris\"", $"\"dataset\": \"{csv}\", \"target\": \"class\"", StringComparison.Ordinal)
                .Replace("\"batch_size\": 16", "\"batch_size\": 2", StringComparison.Ordinal);
            // The schema is fine and no data is read for it (a client may not see the file); the data check finds the column.
            var definition = SweepDefinition.Parse(text);
            var e = Assert.Throws<SweepException>(() => definition.CheckData(TempFiles));
            Assert.StartsWith("training.", e.Path, StringComparison.Ordinal);
            Assert.Contains("class", e.Reason, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Theory]
    [InlineData("\"batch_size\": 16", "\"batch_size\": 1000", "training.batch_size")]
    [InlineData("\"dataset\": \"iris\"", "\"dataset\": \"missing.csv\"", "training.dataset")]
    [InlineData("\"values\": [\"relu\", \"tanh\"]", "\"values\": [\"relu\", \"tanh\"] }, \"batch_size\": { \"values\": [8, 1000]", "search.space.batch_size.values[1]")]
    public void A_check_that_needs_the_data_passes_the_schema_and_fails_the_data_check_at_the_same_path(string from, string to, string path)
    {
        var definition = SweepDefinition.Parse(Valid.Replace(from, to, StringComparison.Ordinal));

        Assert.Equal(path, Assert.Throws<SweepException>(() => definition.CheckData(TempFiles)).Path);
    }

    [Fact]
    public void Strategies_size_the_plan_grid_by_its_points_lr_decades_by_its_survey_and_refinement()
    {
        Assert.Equal(12, SweepDefinition.Parse(Valid).MaxRuns);
        var decades = Valid.Replace("\"strategy\": \"grid\"", "\"strategy\": \"lr-decades\"", StringComparison.Ordinal);
        // Three listed rates x two activations x two seeds: the plan cannot exceed the listed rates.
        Assert.Equal(12, SweepDefinition.Parse(decades).MaxRuns);
        var range = decades.Replace("\"values\": [0.001, 0.01, 0.1]", "\"log_uniform\": [0.0001, 1]", StringComparison.Ordinal);
        // Survey 3 rates + 1 decade of extension + 2 refinement rounds of 2 = 8 rates, x 2 activations x 2 seeds.
        Assert.Equal(32, SweepDefinition.Parse(range).MaxRuns);
        var random = Valid.Replace("\"strategy\": \"grid\"", "\"strategy\": \"random\"", StringComparison.Ordinal);
        Assert.Equal("search.trials", Assert.Throws<SweepException>(() => SweepDefinition.Parse(random)).Path);
    }

    [Fact]
    public void A_grid_of_more_than_100000_runs_needs_to_be_allowed_explicitly()
    {
        var values = string.Join(", ", Enumerable.Range(1, 400).Select(i => (i * 1e-4).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        var widths = string.Join(", ", Enumerable.Range(1, 300).Select(i => $"[{i}]"));
        var text = $$"""
            { "training": { "dataset": "iris", "epochs": 1 },
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [{{values}}] }, "layers": { "values": [{{widths}}] } } } }
            """;
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse(text));
        Assert.Equal("search.space", e.Path);
        Assert.Contains("120000", e.Reason, StringComparison.Ordinal);
        var allowed = SweepDefinition.Parse(text.Replace("\"training\"", "\"allow_large_grid\": true, \"training\"", StringComparison.Ordinal));
        Assert.Equal(120_000, allowed.MaxRuns);
    }

    [Fact]
    public void A_json_syntax_error_gives_the_line_and_the_column()
    {
        var e = Assert.Throws<SweepException>(() => SweepDefinition.Parse("{\n  \"name\": \"x\",\n  \"seeds\": ]\n}"));
        Assert.Equal("line 3, column 12", e.Path);
        // Columns count characters, not UTF-8 bytes: "Überblick λ" is 11 characters and 13 bytes.
        var wide = Assert.Throws<SweepException>(() => SweepDefinition.Parse("{ \"name\": \"Überblick λ\" ]"));
        Assert.Equal("line 1, column 25", wide.Path);
    }

    [Fact]
    public void Random_and_mutated_sweep_files_give_a_valid_sweep_or_a_sweep_exception_never_anything_else()
    {
        var keys = new[] { "name", "training", "seeds", "search", "early_stopping", "concurrency", "max_runs", "allow_large_grid", "strategy",
            "space", "trials", "learning_rate", "values", "log_uniform", "int", "rule", "settings", "epochs", "batch_size", "layers", "dataset" };
        var leaves = new[] { "0", "-1", "1e308", "0.5", "\"x\"", "\"grid\"", "\"asha\"", "null", "true", "[]", "[1, 2]", "{}", "\"iris\"", "[[8]]", "[0.1, 0.01]" };
        var genNode = Gen.Recursive<string>((depth, self) => depth >= 3
            ? Gen.OneOf(leaves)
            : Gen.Frequency(
                (3, (IGen<string>)Gen.OneOf(leaves)),
                (2, (IGen<string>)Gen.Select(Gen.OneOf(keys).Array[0, 4], self.Array[4], (k, v) =>
                    "{" + string.Join(", ", k.Select((key, i) => $"\"{key}\": {v[i]}")) + "}")),
                (1, (IGen<string>)self.Array[0, 3].Select(items => "[" + string.Join(", ", items) + "]"))));
        // Mutations of a valid file: a character dropped, doubled or replaced.
        var genMutation = Gen.Int[0, Valid.Length - 1].SelectMany(at => Gen.OneOf('{', '}', '"', ',', ':', '[', ']', '-', '0', 'x', ' ')
            .Select(c => Valid.Remove(at, 1).Insert(at, c.ToString())));
        Gen.OneOf<string>(genNode, genMutation).Sample(text =>
        {
            try
            {
                SweepDefinition.Parse(text);
            }
            catch (SweepException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Path));
            }
        }, iter: 1000);
    }

    private const string ValidYaml = """
        name: yaml
        training: { dataset: iris, layers: [8], epochs: 2 }
        search:
          strategy: grid
          space:
            learning_rate: { values: [0.01, 0.1] }
        concurrency: 2
        """;

    [Theory]
    [InlineData("{ range: [0.0001, 1], log: true }", "search.space.learning_rate",
        "must be an object with exactly one of: values, uniform, log_uniform, int, int_log (a range: { \"log_uniform\": [0.0001, 1] }; a list: { \"values\": [16, 32] }); it has: range, log")]
    [InlineData("{ loguniform: [0.0001, 1] }", "search.space.learning_rate.loguniform",
        "unknown kind of domain (did you mean 'log_uniform'?); use one of: values, uniform, log_uniform, int, int_log (a range: { \"log_uniform\": [0.0001, 1] }; a list: { \"values\": [16, 32] })")]
    public void A_parameter_written_as_other_tools_write_it_is_shown_how_it_is_written_here(string domain, string path, string reason)
    {
        var error = Assert.Throws<SweepException>(() => SweepDefinition.Parse(SweepYaml.ToJson(
            $"name: x\nsearch: {{ strategy: random, trials: 4, space: {{ learning_rate: {domain} }} }}\n")));
        Assert.Equal(path, error.Path);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void A_wandb_sweep_file_is_told_where_each_of_its_keys_goes_here()
    {
        var error = Assert.Throws<SweepException>(() => SweepDefinition.Parse(SweepYaml.ToJson(
            "method: bayes\nmetric: { name: val_loss, goal: minimize }\nparameters:\n  learning_rate: { min: 0.0001, max: 0.1 }\n")));
        Assert.Equal("method", error.Path);
        Assert.StartsWith("unknown key (another tool's sweep file?): the method is search.strategy (grid, random, tpe, gp, lr-decades, lr-range; "
            + "Bayesian optimisation is tpe, or gp for small budgets); a sweep file here has: name, training, command, seeds, search,", error.Reason, StringComparison.Ordinal);
        // A key that is nobody's still gets the nearest of ours.
        var typo = Assert.Throws<SweepException>(() => SweepDefinition.Parse("""{ "serach": {} }"""));
        Assert.StartsWith("unknown key (did you mean 'search'?); expected one of: ", typo.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("momentum: { values: [0.5, 0.9] }", "search.space.momentum", "the optimizer here is sgd, which does not read momentum: every value would train the same run; momentum is read by optimizer momentum or nesterov (set training.optimizer, or sweep it too)")]
    [InlineData("optimizer: { values: [sgd, adam] }, momentum: { values: [0.5, 0.9] }", "search.space.momentum", "no optimizer this sweep tries (sgd, adam) reads momentum: every value would train the same run; momentum is read by optimizer momentum or nesterov (set training.optimizer, or sweep it too)")]
    [InlineData("gamma: { uniform: [0.1, 0.9] }", "search.space.gamma", "the schedule here is constant, which does not read gamma: every value would train the same run; gamma is read by schedule step or exponential (set training.schedule, or sweep it too)")]
    [InlineData("huber_delta: { values: [0.5, 1] }", "search.space.huber_delta", "the loss here is the default, which does not read huber_delta: every value would train the same run; huber_delta is read by loss huber (set training.loss, or sweep it too)")]
    public void Sweeping_a_setting_no_choice_of_the_sweep_reads_is_refused(string space, string path, string reason)
    {
        var error = Assert.Throws<SweepException>(() => SweepDefinition.Parse(SweepYaml.ToJson(
            $"name: x\ntraining: {{ dataset: iris, epochs: 2 }}\nsearch: {{ strategy: grid, space: {{ {space} }} }}\n")));
        Assert.Equal(path, error.Path);
        Assert.Equal(reason, error.Reason);
    }

    [Theory]
    [InlineData("optimizer: nesterov", "momentum: { values: [0.5, 0.9] }")]
    [InlineData("optimizer: sgd", "optimizer: { values: [sgd, momentum] }, momentum: { values: [0.5, 0.9] }")]
    [InlineData("schedule: step", "gamma: { uniform: [0.1, 0.9] }")]
    [InlineData("activation: elu", "elu_alpha: { values: [0.5, 1] }")]
    public void A_setting_a_choice_of_the_sweep_reads_may_be_swept(string training, string space) =>
        Assert.Equal(2, SweepDefinition.Parse(SweepYaml.ToJson(
            $"name: x\ntraining: {{ dataset: iris, epochs: 2, {training} }}\nsearch: {{ strategy: random, trials: 2, space: {{ {space} }} }}\n")).MaxRuns);

    [Fact]
    public void A_setting_only_some_swept_choices_read_is_swept_only_under_them_and_a_grid_counts_the_rest_once()
    {
        // sgd x 2 rates, momentum x 2 momenta x 2 rates, adam x 2 rates: 8 distinct runs of the 12 grid numbers.
        var definition = SweepDefinition.Parse(SweepYaml.ToJson(
            "name: x\ntraining: { dataset: iris, epochs: 2 }\nsearch: { strategy: grid, space: { optimizer: { values: [sgd, momentum, adam] }, momentum: { values: [0.5, 0.9] }, learning_rate: { values: [0.01, 0.1] } } }\n"));

        Assert.Equal(8, definition.MaxRuns);
        Assert.Equal(new ExperimentCluster.Tuning.Condition("optimizer", ["\"momentum\""]), definition.Space.Find("momentum")!.When);
        Assert.Null(definition.Space.Find("learning_rate")!.When);
    }

    [Fact]
    public void A_file_makes_any_parameter_conditional_with_when()
    {
        var definition = SweepDefinition.Parse(SweepYaml.ToJson("""
            name: x
            command: { run: [python3, train.py, "{optimizer}"], epochs: 2 }
            search:
              strategy: grid
              space:
                optimizer: { values: [sgd, adam] }
                beta2: { values: [0.99, 0.999], when: { optimizer: adam } }
                warmup: { values: [0, 1, 2], when: { optimizer: [sgd] } }
            """));

        Assert.Equal(5, definition.MaxRuns);
        Assert.Equal(new ExperimentCluster.Tuning.Condition("optimizer", ["\"adam\""]), definition.Space.Find("beta2")!.When);
    }

    [Theory]
    [InlineData("beta2: { values: [0.99], when: { optimiser: adam } }", "search.space.beta2.when", "'optimiser' is not a parameter of the space")]
    [InlineData("beta2: { values: [0.99], when: { optimizer: nadam } }", "search.space.beta2.when", "\"nadam\" is not one of optimizer's values")]
    [InlineData("beta2: { values: [0.99], when: adam }", "search.space.beta2.when", "must be an object naming one swept list")]
    [InlineData("beta2: { values: [0.99], when: { optimizer: [{ a: 1 }] } }", "search.space.beta2.when.optimizer[0]", "must be a value or a list of values")]
    [InlineData("beta2: { when: { optimizer: adam } }", "search.space.beta2", "must be an object with exactly one of")]
    public void A_bad_condition_names_its_path(string parameter, string path, string reason)
    {
        var error = Assert.Throws<SweepException>(() => SweepDefinition.Parse(SweepYaml.ToJson(
            $"name: x\ncommand: [python3, train.py]\nsearch: {{ strategy: grid, space: {{ optimizer: {{ values: [sgd, adam] }}, {parameter} }} }}\n")));

        Assert.Equal(path, error.Path);
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_argument_made_of_a_conditional_parameter_is_refused()
    {
        var error = Assert.Throws<SweepException>(() => SweepDefinition.Parse(SweepYaml.ToJson("""
            name: x
            command: { run: [python3, train.py, --beta2, "{beta2}"], epochs: 2 }
            search: { strategy: grid, space: { optimizer: { values: [sgd, adam] }, beta2: { values: [0.99], when: { optimizer: adam } } } }
            """)));

        Assert.Equal("command.run[3]", error.Path);
        Assert.StartsWith("{beta2} is conditional (search.space.beta2.when)", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_yaml_sweep_reads_as_its_json_form()
    {
        var definition = SweepDefinition.Parse(SweepYaml.ToJson(ValidYaml));
        Assert.Equal("yaml", definition.Name);
        Assert.Equal(2, definition.Concurrency);
        Assert.Equal(2, definition.MaxRuns);
    }

    [Theory]
    [InlineData("name: x\ntraining:\n  epochs: [1\n", "line 4, column 1")]
    [InlineData("name: x\nname: y\n", "line 2, column 1")]
    [InlineData("- 1\n- 2\n", "$")]
    [InlineData("name: x\nsearch: { strategy: grid, space: { learning_rate: { values: [0.1, '0.2'] } } }\n", "search.space.learning_rate.values[1]")]
    public void A_bad_yaml_sweep_names_the_line_and_column_or_the_field(string yaml, string path)
    {
        var error = Assert.Throws<SweepException>(() => SweepDefinition.Parse(SweepYaml.ToJson(yaml)));
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Random_and_mutated_yaml_sweep_files_give_a_valid_sweep_or_a_sweep_exception_never_anything_else()
    {
        // Mutations of a valid file: one character replaced by YAML's structural ones, quotes, tabs and line breaks.
        var genMutation = Gen.Int[0, ValidYaml.Length - 1].SelectMany(at => Gen.OneOf(':', '-', '{', '}', '[', ']', ',', '\'', '"', '\t', '\n', ' ', '&', '*', '!', '#', '0', 'x')
            .Select(c => ValidYaml.Remove(at, 1).Insert(at, c.ToString())));
        var genLines = Gen.OneOf("name: a", "training:", "  epochs: 0", "  layers: [8, ", "search: grid", "- 1", "  - x", "concurrency: -1", "? k", "&a x", "*a", "!!int y", ":", "'", "{")
            .Array[0, 8].Select(lines => string.Join("\n", lines));
        Gen.OneOf<string>(genMutation, genLines).Sample(text =>
        {
            try
            {
                SweepDefinition.Parse(SweepYaml.ToJson(text));
            }
            catch (SweepException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Path));
            }
        }, iter: 20000);
    }
}
