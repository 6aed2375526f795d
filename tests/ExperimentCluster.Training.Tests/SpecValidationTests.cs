using System.Text.Json.Nodes;

namespace ExperimentCluster.Training.Tests;

/// <summary>Every bad input is a SpecException naming the snake_case field, raised before anything trains.</summary>
public sealed class SpecValidationTests
{
    public static TheoryData<string, string, string> BadSettings => new()
    {
        // json fragment, field, words the reason must contain
        { """{"learning_rate": -0.1}""", "learning_rate", "positive finite" },
        { """{"folds": 1}""", "folds", "from 2 to 100" },
        { """{"folds": 5, "fold": 5}""", "fold", "from 0 to 4" },
        { """{"fold": 2}""", "fold", "set folds too" },
        { """{"dataset": "digits", "split_file": "digits_split", "folds": 3}""", "folds", "split_file fixes the validation rows" },
        { """{"dataset": "moons", "synthetic_samples": 10, "folds": 20, "fold": 3, "batch_size": 1}""", "folds", "at most 10 folds" },
        { """{"learning_rate": 0}""", "learning_rate", "positive finite" },
        { """{"activation": "swish"}""", "activation", "relu, leaky_relu, elu, tanh, sigmoid" },
        { """{"optimizer": "rmsprop"}""", "optimizer", "adamw" },
        { """{"schedule": "cyclic"}""", "schedule", "one_cycle" },
        { """{"loss": "hinge"}""", "loss", "cross_entropy, mse, huber" },
        { """{"scaling": "robust"}""", "scaling", "minmax" },
        { """{"precision": "float16"}""", "precision", "float32" },
        { """{"task": "ranking"}""", "task", "classification" },
        { """{"dataset": "mnist"}""", "dataset", "digits" },
        { """{"dataset": "/no/such/file.csv"}""", "dataset", "outside the data roots" },
        { """{"batch_size": 0}""", "batch_size", "at least 1" },
        { """{"dataset": "iris", "batch_size": 121}""", "batch_size", "120 training rows" },
        { """{"epochs": 0}""", "epochs", "1 to" },
        { """{"epochs": 2.5}""", "epochs", "whole number" },
        { """{"epochs": "ten"}""", "epochs", "number" },
        { """{"layers": [32, 0]}""", "layers", "from 1" },
        { """{"layers": [32, "wide"]}""", "layers", "whole numbers" },
        { """{"layers": 32}""", "layers", "array" },
        { """{"activation": null}""", "activation", "null" },
        { """{"activation": 3}""", "activation", "string" },
        { """{"momentum": 1}""", "momentum", "up to" },
        { """{"beta2": -0.1}""", "beta2", "up to" },
        { """{"epsilon": 0}""", "epsilon", "positive" },
        { """{"weight_decay": -1}""", "weight_decay", "0 or more" },
        { """{"clip_norm": 0}""", "clip_norm", "positive" },
        { """{"gamma": 1.5}""", "gamma", "at most 1" },
        { """{"min_learning_rate": 0.5}""", "min_learning_rate", "learning_rate" },
        { """{"warmup_epochs": 20}""", "warmup_epochs", "less than epochs" },
        { """{"pct_start": 1}""", "pct_start", "between 0 and 1" },
        { """{"validation_fraction": 1}""", "validation_fraction", "between 0 and 1" },
        { """{"dataset": "iris", "validation_fraction": 0.999}""", "validation_fraction", "0 for training" },
        { """{"divergence_factor": 1}""", "divergence_factor", "above 1" },
        { """{"patience": 0}""", "patience", "from 1 to 1000000" },
        { """{"patience": 2.5}""", "patience", "whole number" },
        { """{"dataset": "diabetes", "loss": "cross_entropy"}""", "loss", "classification" },
        { """{"dataset": "moons", "task": "regression"}""", "task", "classification data set" },
        { """{"dataset": "moons", "target": "y"}""", "target", "synthetic" },
        { """{"dataset": "digits", "target": "colour"}""", "target", "no column 'colour'" },
        { """{"split_file": "/no/such/split.json"}""", "split_file", "outside the data roots" },
        { """{"learnin_rate": 0.1}""", "learnin_rate", "unknown option (did you mean 'learning_rate'?) (known: dataset," },
        { """{"dataset": "Iris"}""", "dataset", "unknown data set 'Iris' (did you mean 'iris'?)" },
        { """{"schedule": "cosine_annealing"}""", "schedule", "unknown schedule 'cosine_annealing' (known: constant," },
        { """{"hidden_layers": 2}""", "neurons", "set together" },
        { """{"neurons": 64}""", "hidden_layers", "set together" },
        { """{"hidden_layers": 101, "neurons": 8}""", "hidden_layers", "0 to 100" },
        { """{"hidden_layers": 2, "neurons": 0}""", "neurons", "from 1" },
    };

    [Fact]
    public void Hidden_layers_and_neurons_build_that_many_layers_of_that_width_instead_of_layers()
    {
        var spec = TrainingSpecJson.Parse(JsonNode.Parse("""{"dataset": "iris", "layers": [5], "hidden_layers": 3, "neurons": 16}""")!.AsObject(), files: TestPaths.Files);
        var plain = TrainingSpecJson.Parse(JsonNode.Parse("""{"dataset": "iris", "layers": [16, 16, 16]}""")!.AsObject(), files: TestPaths.Files);

        Assert.Equal([16, 16, 16], spec.HiddenWidths());
        Assert.Equal([16, 16, 16], plain.HiddenWidths());
        Assert.Equal(Trainer.Create(plain, files: TestPaths.Files).TrainEpoch().ValLoss, Trainer.Create(spec, files: TestPaths.Files).TrainEpoch().ValLoss);
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Bad_setting_is_rejected_naming_its_field(string json, string field, string reason)
    {
        var error = Assert.Throws<SpecException>(() => TrainingSpecJson.Parse(JsonNode.Parse(json)!.AsObject(), files: TestPaths.Files));
        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Equal($"{field}: {error.Reason}", error.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_finite_learning_rate_is_rejected(double rate)
    {
        // JSON text cannot hold NaN, but a node built in code (the CLI's) can.
        var error = Assert.Throws<SpecException>(() => TrainingSpecJson.Parse(new JsonObject { ["learning_rate"] = rate }, files: TestPaths.Files));
        Assert.Equal("learning_rate", error.Field);
        Assert.Equal("must be a positive finite number", error.Reason);
    }

    [Fact]
    public void Malformed_json_text_is_a_spec_error_too()
    {
        Assert.Equal("$", Assert.Throws<SpecException>(() => TrainingSpecJson.Parse("{\"epochs\": ", files: TestPaths.Files)).Field);
        Assert.Equal("$", Assert.Throws<SpecException>(() => TrainingSpecJson.Parse("[1, 2]", files: TestPaths.Files)).Field);
    }

    [Fact]
    public void Csv_with_a_non_numeric_cell_names_the_line_and_column()
    {
        var path = WriteCsv("x,y,label", "1,2,0", "3,abc,1", "5,6,0");
        var error = Assert.Throws<SpecException>(() => TrainingSpecJson.Parse(new JsonObject { ["dataset"] = path, ["batch_size"] = 1 }, files: TestPaths.Files));
        Assert.Equal("dataset", error.Field);
        Assert.Contains("line 3, column 'y': text, not a number", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_with_a_ragged_row_names_the_line()
    {
        var path = WriteCsv("x,y,label", "1,2,0", "3,1", "5,6,0");
        var error = Assert.Throws<SpecException>(() => TrainingSpecJson.Parse(new JsonObject { ["dataset"] = path, ["batch_size"] = 1 }, files: TestPaths.Files));
        Assert.Contains("line 3: 2 cells, the header has 3", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_without_the_named_column_lists_the_columns_it_has()
    {
        var path = WriteCsv("x,y,label", "1,2,0", "3,4,1");
        var error = Assert.Throws<SpecException>(() => TrainingSpecJson.Parse(new JsonObject { ["dataset"] = path, ["target"] = "price", ["batch_size"] = 1 }, files: TestPaths.Files));
        Assert.Equal("target", error.Field);
        Assert.Contains("no column 'price' (columns: x, y, label)", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_label_that_is_not_a_class_id_is_rejected()
    {
        var path = WriteCsv("x,label", "1,0", "3,1.5", "4,1");
        var error = Assert.Throws<SpecException>(() => TrainingSpecJson.Parse(new JsonObject { ["dataset"] = path, ["batch_size"] = 1 }, files: TestPaths.Files));
        Assert.Equal("target", error.Field);
        Assert.Contains("line 3", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixed_csv_is_read_again_after_a_failed_load()
    {
        var path = WriteCsv("x,y,label", "1,2,0", "3,abc,1", "5,6,0", "7,8,1");
        Assert.Throws<SpecException>(() => TrainingSpecJson.Parse(new JsonObject { ["dataset"] = path, ["batch_size"] = 1 }, files: TestPaths.Files));
        File.WriteAllLines(path, ["x,y,label", "1,2,0", "3,4,1", "5,6,0", "7,8,1"]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var spec = TrainingSpecJson.Parse(new JsonObject { ["dataset"] = path, ["batch_size"] = 1 }, files: TestPaths.Files);
        Assert.Equal(path, spec.Dataset);
    }

    [Fact]
    public void Split_file_with_overlapping_or_out_of_range_rows_is_rejected()
    {
        var dir = TestPaths.NewTempDirectory();
        var overlap = Path.Combine(dir, "overlap.json");
        File.WriteAllText(overlap, """{"train": [0, 1, 2], "val": [2, 3]}""");
        Assert.Contains("row 2 appears more than once",
            Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = "iris", SplitFile = overlap, BatchSize = 1 }.Validate(files: TestPaths.Files)).Reason, StringComparison.Ordinal);
        var outside = Path.Combine(dir, "outside.json");
        File.WriteAllText(outside, """{"train": [0, 1, 2], "val": [150]}""");
        Assert.Equal("split_file", Assert.Throws<SpecException>(() => new TrainingSpec { Dataset = "iris", SplitFile = outside, BatchSize = 1 }.Validate(files: TestPaths.Files)).Field);
    }

    [Fact]
    public void Json_form_lists_every_option_and_round_trips()
    {
        var spec = new TrainingSpec
        {
            Dataset = "wine", Layers = [7, 3], Activation = "elu", Optimizer = "adamw", LearningRate = 0.003, Schedule = "cosine",
            WarmupEpochs = 0.5, ClipNorm = 2, Gamma = null, Loss = "huber", Seed = 9, Precision = "float64",
        };
        var json = TrainingSpecJson.ToJson(spec);
        Assert.Equal(typeof(TrainingSpec).GetProperties().Length, json.Count);
        Assert.Null(json["gamma"]);
        Assert.Equal(0.003, json["learning_rate"]!.GetValue<double>());
        var parsed = TrainingSpecJson.Parse(JsonNode.Parse(json.ToJsonString())!.AsObject(), files: TestPaths.Files);
        Assert.Equal(TrainingSpecJson.ToJson(spec).ToJsonString(), TrainingSpecJson.ToJson(parsed).ToJsonString());
        Assert.Equal([7, 3], parsed.Layers);
    }

    [Fact]
    public void Keys_left_out_keep_their_defaults()
    {
        var spec = TrainingSpecJson.Parse(new JsonObject { ["epochs"] = 3 }, files: TestPaths.Files);
        Assert.Equal(3, spec.Epochs);
        Assert.Equal("digits", spec.Dataset);
        Assert.Equal([32], spec.Layers);
        Assert.Equal(0.01, spec.LearningRate);
    }

    private static string WriteCsv(params string[] lines)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "data.csv");
        File.WriteAllLines(path, lines);
        return path;
    }
}
