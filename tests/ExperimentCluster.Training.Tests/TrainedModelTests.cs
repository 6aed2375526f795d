using System.Text.Json;
using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Training.Tests;

/// <summary>
/// An exported model, used the way its own <see cref="TrainedModel.Predict"/> text says, on the raw (unscaled) validation
/// rows, gives the validation loss and accuracy the trainer reported for that epoch: so the layout of the weights, the
/// activation and both scalings are what the file says. The forward pass here is written from that text alone.
/// </summary>
public sealed class TrainedModelTests
{
    [Theory]
    [InlineData("iris", "relu", "standard", "float64", 1e-9)]
    [InlineData("wine", "elu", "minmax", "float32", 1e-5)]
    [InlineData("breast_cancer", "leaky_relu", "standard", "float64", 1e-9)]
    public void A_classifier_used_as_its_file_says_gives_the_reported_validation_loss(string dataset, string activation, string scaling, string precision, double tolerance)
    {
        var spec = new TrainingSpec
        {
            Dataset = dataset, Layers = [12, 7], Activation = activation, Scaling = scaling, Precision = precision,
            EluAlpha = 0.7, LeakySlope = 0.05, Epochs = 4, BatchSize = 16, LearningRate = 0.05, Seed = 5,
        };
        var (model, reported) = TrainAndExport(spec);
        var (raw, split) = RawValidation(spec);
        Assert.Equal("classification", model.Task);
        Assert.Equal(raw.Classes, model.Classes);
        Assert.Equal(raw.FeatureNames, model.Features);

        double loss = 0;
        var correct = 0;
        foreach (var row in split.Val)
        {
            var z = Forward(model, Features(raw, row));
            var max = z.Max();
            var logSum = max + Math.Log(z.Sum(v => Math.Exp(v - max)));
            loss += logSum - z[raw.Labels[row]];
            if (Array.IndexOf(z, max) == raw.Labels[row]) correct++;
        }
        Assert.Equal(reported.ValLoss, loss / split.Val.Length, tolerance);
        Assert.Equal(reported.ValAccuracy!.Value, (double)correct / split.Val.Length, 1e-12);
    }

    [Fact]
    public void A_regression_model_predicts_in_the_targets_own_units()
    {
        var spec = new TrainingSpec { Dataset = "diabetes", Layers = [10], Activation = "tanh", Loss = "mse", Precision = "float64", Epochs = 3, BatchSize = 32, Seed = 2 };
        var (model, reported) = TrainAndExport(spec);
        var (raw, split) = RawValidation(spec);
        Assert.Equal("regression", model.Task);
        Assert.Null(model.Classes);
        Assert.True(model.TargetScale > 1, $"diabetes' targets are standardised: scale {model.TargetScale}");

        // The reported loss is the squared error of standardised targets: in the targets' units it is scale² times that.
        var squared = split.Val.Sum(row => Math.Pow((Forward(model, Features(raw, row))[0] * model.TargetScale!.Value) + model.TargetShift!.Value - raw.Targets[row], 2));
        Assert.Equal(reported.ValLoss * model.TargetScale!.Value * model.TargetScale.Value, squared / split.Val.Length, 1e-6);
    }

    [Fact]
    public void The_file_names_its_format_and_how_to_predict_and_survives_json()
    {
        var (model, _) = TrainAndExport(new TrainingSpec { Dataset = "iris", Layers = [4], Activation = "leaky_relu", Epochs = 1, Seed = 1 });
        var json = JsonSerializer.Serialize(model);
        var back = JsonSerializer.Deserialize<TrainedModel>(json)!;
        Assert.Equal(TrainedModel.CurrentFormat, back.Format);
        Assert.Equal(model.Layers[1].Weights[2][1], back.Layers[1].Weights[2][1]);
        Assert.Contains("argmax", model.Predict.Replace("index of the largest", "argmax", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(0.01, back.LeakySlope);
        Assert.Null(back.EluAlpha);
        Assert.Equal([4, 3], model.Layers.Select(l => l.Biases.Length));
    }

    [Fact]
    public void Classes_named_in_the_csv_train_as_their_ids_would_and_the_model_names_them()
    {
        // iris with its classes written as names: ordinal order of the names is the ids' order, so the runs are the same.
        string[] names = ["setosa", "versicolor", "virginica"];
        var lines = BuiltInDatasets.ReadText("iris.csv").TrimEnd().Split('\n');
        var file = Path.Combine(TestPaths.NewTempDirectory(), "iris-named.csv");
        File.WriteAllLines(file, [lines[0], .. lines.Skip(1).Select(l => l[..(l.LastIndexOf(',') + 1)] + names[int.Parse(l[(l.LastIndexOf(',') + 1)..], System.Globalization.CultureInfo.InvariantCulture)])]);
        TrainingSpec Spec(string dataset) => new() { Dataset = dataset, Target = "label", Task = "classification", Layers = [8], Epochs = 3, BatchSize = 16, LearningRate = 0.05, Seed = 3, Precision = "float64" };

        var (named, reported) = TrainAndExport(Spec(file));
        var (idModel, byId) = TrainAndExport(Spec("iris"));

        Assert.Equal(names, named.ClassNames);
        Assert.Equal(byId.ValLoss, reported.ValLoss);
        Assert.Contains("class_names[index]", named.Predict, StringComparison.Ordinal);
        Assert.Null(idModel.ClassNames);
        // Used as the file says: the name of the largest output is the row's class name as often as the accuracy says.
        var (raw, split) = RawValidation(Spec(file));
        var text = File.ReadAllLines(file);
        var correct = split.Val.Count(row => named.ClassNames![Array.IndexOf(Forward(named, Features(raw, row)), Forward(named, Features(raw, row)).Max())] == text[row + 1][(text[row + 1].LastIndexOf(',') + 1)..]);
        Assert.Equal(reported.ValAccuracy!.Value, (double)correct / split.Val.Length, 1e-12);
    }

    [Fact]
    public void A_category_column_is_one_feature_per_value_and_the_file_says_how_to_build_them()
    {
        // iris with a text column "size" from the petal length, quoted cells as a spreadsheet writes them, the class named.
        string[] classes = ["setosa", "versicolor", "virginica"];
        var lines = BuiltInDatasets.ReadText("iris.csv").TrimEnd().Split('\n').Select(l => l.TrimEnd('\r').Split(',')).ToArray();
        string Size(double petal) => petal < 2 ? "small" : petal < 5 ? "medium" : "large";
        var rows = lines.Skip(1).Select(c => new[] { $"\"{c[0]}\"", c[1], Size(double.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture)), c[3], classes[int.Parse(c[4], System.Globalization.CultureInfo.InvariantCulture)] }).ToArray();
        var file = Path.Combine(TestPaths.NewTempDirectory(), "iris-size.csv");
        File.WriteAllLines(file, ["sepal_length,sepal_width,size,petal_width,label", .. rows.Select(r => string.Join(',', r))]);
        var spec = new TrainingSpec { Dataset = file, Layers = [8], Epochs = 3, BatchSize = 16, LearningRate = 0.05, Seed = 4, Precision = "float64" };

        var (model, reported) = TrainAndExport(spec);

        Assert.Equal(["sepal_length", "sepal_width", "size=large", "size=medium", "size=small", "petal_width"], model.Features);
        Assert.Equal(["large", "medium", "small"], model.Categories!["size"]);
        Assert.StartsWith("features: the values named by `features`", model.Predict, StringComparison.Ordinal);
        // The features built from the raw text as the file says, then its arithmetic: the reported loss.
        var (_, split) = RawValidation(spec);
        double Feature(string[] row, string name) => name.Split('=') is [var column, var value]
            ? (row[2] == value && column == "size" ? 1 : 0)
            : double.Parse(row[name switch { "sepal_length" => 0, "sepal_width" => 1, _ => 3 }].Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        var loss = split.Val.Average(r =>
        {
            var z = Forward(model, [.. model.Features.Select(name => Feature(rows[r], name))]);
            var max = z.Max();
            return max + Math.Log(z.Sum(v => Math.Exp(v - max))) - z[Array.IndexOf(classes, rows[r][4])];
        });
        Assert.Equal(reported.ValLoss, loss, 1e-9);
    }

    [Fact]
    public void A_diverged_run_has_no_model_and_says_so()
    {
        var spec = new TrainingSpec { Dataset = "iris", Layers = [16], LearningRate = 1e6, Epochs = 3, Seed = 1 };
        var (trainer, _) = TrainerTests.Train(spec);
        Assert.Equal(TrainingStatus.Diverged, trainer.Status);
        var error = Assert.Throws<InvalidDataException>(() => Trainer.ExportModel(spec, trainer.SaveCheckpoint(), TestPaths.Files));
        Assert.Contains("diverged at epoch", error.Message, StringComparison.Ordinal);
    }

    internal static (TrainedModel Model, EpochMetrics Reported) TrainAndExport(TrainingSpec spec)
    {
        var (trainer, history) = TrainerTests.Train(spec);
        return (Trainer.ExportModel(spec, trainer.SaveCheckpoint(), TestPaths.Files), history[^1]);
    }

    internal static (RawDataset Raw, DataSplit Split) RawValidation(TrainingSpec spec)
    {
        var raw = DatasetCache.GetRaw(spec, TestPaths.Files);
        return (raw, DataSplit.For(spec, raw.Rows, TestPaths.Files));
    }

    private static double[] Features(RawDataset raw, int row) => raw.Features.AsSpan(row * raw.Columns, raw.Columns).ToArray();

    private static double[] Forward(TrainedModel model, double[] features)
    {
        var x = features.Select((v, i) => (v - model.InputShift[i]) / model.InputScale[i]).ToArray();
        for (var l = 0; l < model.Layers.Count; l++)
        {
            var layer = model.Layers[l];
            var z = layer.Biases.ToArray();
            for (var i = 0; i < x.Length; i++)
                for (var j = 0; j < z.Length; j++)
                    z[j] += x[i] * layer.Weights[i][j];
            x = l == model.Layers.Count - 1 ? z : z.Select(v => Activate(model, v)).ToArray();
        }
        return x;
    }

    private static double Activate(TrainedModel model, double v) => model.HiddenActivation switch
    {
        "relu" => Math.Max(0, v),
        "leaky_relu" => v > 0 ? v : model.LeakySlope!.Value * v,
        "elu" => v > 0 ? v : model.EluAlpha!.Value * (Math.Exp(v) - 1),
        "tanh" => Math.Tanh(v),
        "sigmoid" => 1 / (1 + Math.Exp(-v)),
        _ => throw new InvalidOperationException(model.HiddenActivation),
    };
}
