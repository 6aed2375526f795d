using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentCluster.Training.Data;
using ExperimentCluster.Training.Prediction;

namespace ExperimentCluster.Training.Tests;

/// <summary>
/// `excl predict`'s parts: a model file applied to a CSV of raw validation rows scores exactly what the trainer reported
/// for them, whatever the order of the file's columns; a file of rows or a model file that cannot be used is refused
/// naming the line and column, or the model's field.
/// </summary>
public sealed class ModelPredictorTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    [Theory]
    [InlineData("iris", "relu", "float64", 1e-9)]
    [InlineData("wine", "elu", "float32", 1e-5)]
    [InlineData("breast_cancer", "leaky_relu", "float64", 1e-9)]
    public void A_classifier_scores_its_validation_rows_as_the_trainer_reported(string dataset, string activation, string precision, double tolerance)
    {
        var spec = new TrainingSpec { Dataset = dataset, Layers = [12, 7], Activation = activation, Precision = precision, EluAlpha = 0.7, LeakySlope = 0.05, Epochs = 4, BatchSize = 16, LearningRate = 0.05, Seed = 5 };
        var (model, reported) = TrainedModelTests.TrainAndExport(spec);
        var (raw, split) = TrainedModelTests.RawValidation(spec);

        // The columns reversed, an id column the model does not read in front.
        var names = raw.FeatureNames.Reverse().ToArray();
        var csv = string.Join('\n', split.Val.Select((row, i) => string.Join(',',
            [i.ToString(Invariant), .. names.Select(n => raw.Features[(row * raw.Columns) + Array.IndexOf(raw.FeatureNames, n)].ToString("R", Invariant)), raw.Labels[row].ToString(Invariant)])).Prepend(string.Join(',', ["id", .. names, "label"])));

        var predictor = new ModelPredictor(model);
        var rows = PredictionRows.Read(csv, "val.csv", model, null);
        var score = ModelEvaluation.Of(predictor, rows);

        Assert.Equal("label", rows.Target);
        Assert.Equal(split.Val.Length, score.Rows);
        Assert.Equal(reported.ValLoss, score.LogLoss!.Value, tolerance);
        Assert.Equal(reported.ValAccuracy!.Value, score.Accuracy!.Value, 1e-12);
        Assert.Null(score.Mse);
        for (var r = 0; r < rows.Count; r++)
        {
            var probabilities = predictor.Predict(rows.Row(r));
            Assert.Equal(1, probabilities.Sum(), 1e-12);
            Assert.True(probabilities.All(p => p is >= 0 and <= 1));
        }
        Assert.Equal(Enumerable.Range(2, split.Val.Length), rows.Lines);
    }

    [Fact]
    public void A_regression_is_scored_in_the_targets_units_and_as_the_trainer_reports_its_mse()
    {
        var spec = new TrainingSpec { Dataset = "diabetes", Layers = [10], Activation = "tanh", Loss = "mse", Precision = "float64", Epochs = 3, BatchSize = 32, Seed = 2 };
        var (model, reported) = TrainedModelTests.TrainAndExport(spec);
        var (raw, split) = TrainedModelTests.RawValidation(spec);
        var csv = string.Join('\n', split.Val.Select(row => string.Join(',',
            [.. Enumerable.Range(0, raw.Columns).Select(c => raw.Features[(row * raw.Columns) + c].ToString("R", Invariant)), raw.Targets[row].ToString("R", Invariant)])).Prepend(string.Join(',', [.. raw.FeatureNames, "progress"])));

        var predictor = new ModelPredictor(model);
        var score = ModelEvaluation.Of(predictor, PredictionRows.Read(csv, "val.csv", model, "progress"));

        Assert.Equal(reported.ValLoss, score.StandardisedMse!.Value, 1e-9);
        Assert.Equal(score.Mse!.Value, reported.ValLoss * model.TargetScale!.Value * model.TargetScale.Value, 1e-6);
        Assert.Equal(Math.Sqrt(score.Mse.Value), score.Rmse!.Value, 1e-12);
        Assert.InRange(score.Mae!.Value, 1, score.Rmse.Value);
        Assert.Null(score.LogLoss);
        // Without the column of true values: the same predictions, and no score.
        var unscored = PredictionRows.Read(csv, "val.csv", model, null);
        Assert.Null(unscored.Target);
        Assert.Equal(predictor.Predict(unscored.Row(3)), predictor.Predict(PredictionRows.Read(csv, "val.csv", model, "progress").Row(3)));
        Assert.Throws<InvalidOperationException>(() => ModelEvaluation.Of(predictor, unscored));
    }

    [Fact]
    public void Category_columns_and_named_classes_are_read_as_the_model_names_them()
    {
        var (file, rows) = IrisWithSizes();
        var spec = new TrainingSpec { Dataset = file, Layers = [8], Epochs = 3, BatchSize = 16, LearningRate = 0.05, Seed = 4, Precision = "float64" };
        var (model, reported) = TrainedModelTests.TrainAndExport(spec);
        var (_, split) = TrainedModelTests.RawValidation(spec);
        var lines = File.ReadAllLines(file);
        var csv = string.Join('\n', split.Val.Select(r => lines[r + 1]).Prepend(lines[0]));

        var score = ModelEvaluation.Of(new ModelPredictor(model), PredictionRows.Read(csv, "val.csv", model, null));

        Assert.Equal(reported.ValLoss, score.LogLoss!.Value, 1e-9);
        Assert.Equal(reported.ValAccuracy!.Value, score.Accuracy!.Value, 1e-12);
        Assert.Equal(150, rows);

        // A category or a class the model never saw is refused by line and column, without quoting the cell.
        var unseen = Assert.Throws<SpecException>(() => PredictionRows.Read($"{lines[0]}\n{lines[1].Replace("small", "huge", StringComparison.Ordinal)}", "new.csv", model, null));
        Assert.Equal(("dataset", "new.csv line 2, column 'size': a category the model was not trained on (its categories: large, medium, small)"), (unseen.Field, unseen.Reason));
        var unknownClass = Assert.Throws<SpecException>(() => PredictionRows.Read($"{lines[0]}\n{lines[1].Replace("setosa", "unknown", StringComparison.Ordinal)}", "new.csv", model, null));
        Assert.Equal(("target", "new.csv line 2, column 'label': not one of the model's classes (setosa, versicolor, virginica)"), (unknownClass.Field, unknownClass.Reason));
    }

    [Theory]
    [InlineData("", "dataset", "rows.csv is empty")]
    [InlineData("a,b,label\n", "dataset", "rows.csv has no data rows")]
    [InlineData("a,label\n1,0\n", "dataset", "rows.csv has no column 'b', which the model reads (it reads a, b; the file has a, label)")]
    [InlineData("a,b\n1,2\n3\n", "dataset", "rows.csv line 3: 1 cells, the header has 2")]
    [InlineData("a,b\n1,2,3\n", "dataset", "rows.csv line 2: more cells than the 2 header columns")]
    [InlineData("a,b\n1,x\n", "dataset", "rows.csv line 2, column 'b': text, not a number, in a column of numbers: fix the cell or leave the row out (a column of text alone is read as categories, a 0/1 feature per value)")]
    [InlineData("a,b\n1,\n", "dataset", "rows.csv line 2, column 'b': empty (a missing value): fill it in or leave the row out")]
    [InlineData("a,b,label\n1,2,3\n", "target", "rows.csv line 2, column 'label': not a class of the model (a whole number from 0 to 2)")]
    [InlineData("a,b,label\n1,2,1.5\n", "target", "rows.csv line 2, column 'label': not a class of the model (a whole number from 0 to 2)")]
    [InlineData("a;b\n1;2\n", "dataset", "rows.csv line 1 has no comma: its cells are separated by ';'; save it as comma-separated values (decimal points as '.')")]
    public void Rows_the_model_cannot_read_are_refused_naming_where(string csv, string field, string reason)
    {
        var error = Assert.Throws<SpecException>(() => PredictionRows.Read(csv, "rows.csv", SmallModel(), null));
        Assert.Equal((field, reason), (error.Field, error.Reason));
    }

    [Fact]
    public void A_named_target_column_must_be_there_and_a_feature_is_no_target()
    {
        var missing = Assert.Throws<SpecException>(() => PredictionRows.Read("a,b\n1,2\n", "rows.csv", SmallModel(), "y"));
        Assert.Equal(("target", "rows.csv has no column 'y' (columns: a, b)"), (missing.Field, missing.Reason));
        var feature = Assert.Throws<SpecException>(() => PredictionRows.Read("a,b\n1,2\n", "rows.csv", SmallModel(), "b"));
        Assert.Equal(("target", "'b' is a feature of the model, not the column of true values; name that with --target"), (feature.Field, feature.Reason));
    }

    [Theory]
    [InlineData("format", "\"excl-mlp-9\"", "m.json: format: 'excl-mlp-9' is not a format this excl reads (excl-mlp-1)")]
    [InlineData("input_scale", "[1, 0]", "m.json: input_scale: must be finite numbers other than 0 (they divide)")]
    [InlineData("input_shift", "[1]", "m.json: input_shift: must hold 2 numbers, one per feature; it holds 1")]
    [InlineData("hidden_activation", "\"relu6\"", "m.json: hidden_activation: unknown activation 'relu6' (did you mean 'relu'?) (known: relu, leaky_relu, elu, tanh, sigmoid)")]
    [InlineData("classes", "4", "m.json: classes: must be the number of outputs of the last layer (3), at least 2")]
    [InlineData("class_names", "[\"a\", \"b\"]", "m.json: class_names: must name each of the 3 classes once")]
    [InlineData("task", "\"ranking\"", "m.json: task: must be classification or regression")]
    [InlineData("features", "[\"a\", \"a\"]", "m.json: features: names a feature twice")]
    public void A_model_file_that_cannot_be_used_is_refused_naming_its_field(string field, string value, string message)
    {
        var json = SmallModelJson();
        json[field] = JsonNode.Parse(value);
        var error = Assert.Throws<InvalidDataException>(() => ModelPredictor.Read(json.ToJsonString(), "m.json"));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Misshapen_layers_and_text_that_is_no_model_are_refused()
    {
        var json = SmallModelJson();
        json["layers"]![1]!["weights"]!.AsArray().RemoveAt(0);
        Assert.Equal("m.json: layers[1].weights: 3 rows, but the layer has 4 inputs (layer 0's outputs): rows are inputs, columns outputs",
            Assert.Throws<InvalidDataException>(() => ModelPredictor.Read(json.ToJsonString(), "m.json")).Message);
        json = SmallModelJson();
        json["layers"]![0]!["weights"]![1]!.AsArray().RemoveAt(2);
        Assert.Equal("m.json: layers[0].weights[1]: must be 4 finite numbers, one per output (as many as the layer's biases)",
            Assert.Throws<InvalidDataException>(() => ModelPredictor.Read(json.ToJsonString(), "m.json")).Message);
        json.Remove("leaky_slope");
        json["hidden_activation"] = "leaky_relu";
        json["layers"] = SmallModelJson()["layers"]!.DeepClone();
        Assert.Equal("m.json: leaky_slope: missing: a leaky_relu model names its slope",
            Assert.Throws<InvalidDataException>(() => ModelPredictor.Read(json.ToJsonString(), "m.json")).Message);
        Assert.StartsWith("m.json is not a model file (JSON as `excl model` writes it):",
            Assert.Throws<InvalidDataException>(() => ModelPredictor.Read("weights,biases\n1,2\n", "m.json")).Message, StringComparison.Ordinal);
    }

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static JsonObject SmallModelJson() => JsonNode.Parse(JsonSerializer.Serialize(SmallModel(), SnakeCase))!.AsObject();

    /// <summary>A 2-4-3 classifier of features a and b, its weights made up.</summary>
    private static TrainedModel SmallModel() => new(TrainedModel.CurrentFormat, 1, "classification", 3, ["a", "b"], [0.5, -1], [2, 3], "relu", null, null, "softmax", null, null,
        [new TrainedLayer([[0.1, -0.2, 0.3, 0.4], [0.5, 0.6, -0.7, 0.8]], [0, 0.1, 0, -0.1]), new TrainedLayer([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, -1]], [0, 0, 0.5])]);

    /// <summary>iris with a text column "size" from the petal length and its classes named (as TrainedModelTests writes it).</summary>
    private static (string File, int Rows) IrisWithSizes()
    {
        string[] classes = ["setosa", "versicolor", "virginica"];
        var lines = BuiltInDatasets.ReadText("iris.csv").TrimEnd().Split('\n').Select(l => l.TrimEnd('\r').Split(',')).Skip(1).ToArray();
        string Size(string petal) => double.Parse(petal, Invariant) switch { < 2 => "small", < 5 => "medium", _ => "large" };
        var file = Path.Combine(TestPaths.NewTempDirectory(), "iris-size.csv");
        File.WriteAllLines(file, ["sepal_length,sepal_width,size,petal_width,label", .. lines.Select(c => string.Join(',', c[0], c[1], Size(c[2]), c[3], classes[int.Parse(c[4], Invariant)]))]);
        return (file, lines.Length);
    }
}
