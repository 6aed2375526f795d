using System.Globalization;
using System.Text.Json.Nodes;
using ExperimentCluster.Training;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>`excl predict` as a user runs it: a model trained on some rows of a CSV, then applied to rows it never saw, in
/// a file whose columns are in another order; the predictions written, and the score checked against them.</summary>
public sealed class PredictCommandTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private static readonly string[] Classes = ["setosa", "versicolor", "virginica"];

    [Fact]
    public async Task A_saved_model_predicts_held_out_rows_and_its_score_is_what_its_predictions_give()
    {
        var folder = Programs.TempFolder();
        var (header, rows) = IrisWithNames();
        await File.WriteAllLinesAsync(Path.Combine(folder, "train.csv"), [header, .. rows.Take(120).Select(r => string.Join(',', r))]);
        // Held out: the features reversed, an id column in front, the class last.
        var heldOut = rows.Skip(120).ToArray();
        await File.WriteAllLinesAsync(Path.Combine(folder, "test.csv"),
            [string.Join(',', ["id", .. header.Split(',')[..4].Reverse(), "label"]), .. heldOut.Select((r, i) => string.Join(',', [i.ToString(CultureInfo.InvariantCulture), .. r[..4].Reverse(), r[4]]))]);

        var trained = await Programs.ExclAsync(folder, Long, ["train", "--dataset", "train.csv", "--layers", "16", "--epochs", "30", "--lr", "0.05", "--seed", "1", "--save-model", "m.json"]);
        Assert.True(trained.Code == 0, trained.Err);
        Assert.Contains("predict with it: excl predict m.json --dataset ROWS.csv", trained.Out, StringComparison.Ordinal);

        var predicted = await Programs.ExclAsync(folder, Long, ["predict", "m.json", "--dataset", "test.csv", "--out", "p.csv"]);
        Assert.True(predicted.Code == 0, predicted.Err);
        var lines = await File.ReadAllLinesAsync(Path.Combine(folder, "p.csv"));
        Assert.Equal("line,prediction,probability_setosa,probability_versicolor,probability_virginica", lines[0]);
        Assert.Equal(30, lines.Length - 1);
        var correct = 0;
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), cells[0]);
            var p = cells[2..].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1, p.Sum(), 1e-9);
            Assert.Equal(Classes[Array.IndexOf(p, p.Max())], cells[1]);
            if (cells[1] == heldOut[i - 1][4]) correct++;
        }
        var summary = predicted.Out.Trim().Split('\n');
        Assert.Equal("predicted 30 rows of test.csv with m.json (after epoch 30): wrote p.csv", summary[0]);
        Assert.StartsWith("against 'label': log loss ", summary[1], StringComparison.Ordinal);
        Assert.EndsWith(string.Create(CultureInfo.InvariantCulture, $", accuracy {correct / 30.0:F4} ({correct} of 30)"), summary[1], StringComparison.Ordinal);
        Assert.True(correct >= 24, $"a 16-unit network on iris gets most held-out rows right: {correct} of 30");

        // --json: a line per row, then the summary, whose figures are the text's.
        var json = await Programs.ExclAsync(folder, Long, ["predict", "m.json", "--dataset", "test.csv", "--json"]);
        Assert.True(json.Code == 0, json.Err);
        var objects = json.Out.Trim().Split('\n').Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal(31, objects.Length);
        Assert.Equal(lines[1].Split(',')[1], (string?)objects[0]["class_name"]);
        Assert.Equal(("summary", 30, correct), ((string?)objects[^1]["event"], (int)objects[^1]["rows"]!, (int)objects[^1]["correct"]!));

        // What cannot be done is refused, exit code 2, naming the option: a file that is there, a column the model reads.
        var again = await Programs.ExclAsync(folder, Long, ["predict", "m.json", "--dataset", "test.csv", "--out", "p.csv"]);
        Assert.Equal((2, "excl predict: --out: p.csv is there already; name another file or move it away"), (again.Code, again.Err.Trim()));
        await File.WriteAllLinesAsync(Path.Combine(folder, "short.csv"), ["sepal_length_cm,label", "5.1,setosa"]);
        var missing = await Programs.ExclAsync(folder, Long, ["predict", "m.json", "--dataset", "short.csv"]);
        Assert.Equal(2, missing.Code);
        Assert.StartsWith("excl predict: --dataset: short.csv has no column 'sepal_width_cm', which the model reads", missing.Err.Trim(), StringComparison.Ordinal);
        var notModel = await Programs.ExclAsync(folder, Long, ["predict", "test.csv", "--dataset", "test.csv"]);
        Assert.Equal(2, notModel.Code);
        Assert.StartsWith("excl predict: MODEL: test.csv is not a model file", notModel.Err.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sweeps_id_predicts_with_the_model_excl_model_gives()
    {
        var folder = Programs.TempFolder();
        var (header, rows) = IrisWithNames();
        await File.WriteAllLinesAsync(Path.Combine(folder, "train.csv"), [header, .. rows.Take(120).Select(r => string.Join(',', r))]);
        await File.WriteAllLinesAsync(Path.Combine(folder, "test.csv"), [header, .. rows.Skip(120).Select(r => string.Join(',', r))]);
        await File.WriteAllTextAsync(Path.Combine(folder, "sweep.yaml"), """
            training: { dataset: train.csv, layers: [8], epochs: 10, batch_size: 16 }
            search: { strategy: grid, space: { learning_rate: { values: [0.01, 0.1] } } }
            """);
        var run = await Programs.ExclAsync(folder, Long, ["run", "sweep.yaml", "--id", "iris-csv"]);
        Assert.True(run.Code == 0, run.Err);

        var byId = await Programs.ExclAsync(folder, Long, ["predict", "iris-csv", "--dataset", "test.csv"]);
        Assert.True(byId.Code == 0, byId.Err);
        var model = await Programs.ExclAsync(folder, Long, ["model", "iris-csv", "--out", "best.json"]);
        Assert.True(model.Code == 0, model.Err);
        var byFile = await Programs.ExclAsync(folder, Long, ["predict", "best.json", "--dataset", "test.csv"]);
        Assert.True(byFile.Code == 0, byFile.Err);

        // The same predictions and score; the summary (on standard error, beside the CSV) names the run.
        Assert.Equal(byFile.Out, byId.Out);
        var kept = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "best.json")))!;
        Assert.StartsWith($"predicted 30 rows of test.csv with run {(int)kept["run"]!} of sweep 'iris-csv' (after epoch 10)", byId.Err, StringComparison.Ordinal);
        Assert.Equal(byFile.Err.Split('\n')[1], byId.Err.Split('\n')[1]);
        Assert.Contains($"best.json (run {(int)kept["run"]!} of sweep 'iris-csv', after epoch 10)", byFile.Err, StringComparison.Ordinal);

        var noRun = await Programs.ExclAsync(folder, Long, ["predict", "iris-csv", "7", "--dataset", "test.csv"]);
        Assert.Equal((2, "excl predict: no run 7 in sweep 'iris-csv'"), (noRun.Code, noRun.Err.Trim()));
        var fileAndRun = await Programs.ExclAsync(folder, Long, ["predict", "best.json", "1", "--dataset", "test.csv"]);
        Assert.Equal((2, "excl predict: RUN: best.json is a model file; a run number goes with a sweep's id"), (fileAndRun.Code, fileAndRun.Err.Trim()));
    }

    /// <summary>iris with its classes named, its rows in a fixed shuffled order.</summary>
    private static (string Header, string[][] Rows) IrisWithNames()
    {
        using var stream = typeof(TrainedModel).Assembly.GetManifestResourceStream("ExperimentCluster.Training.Data.iris.csv")!;
        var lines = new StreamReader(stream).ReadToEnd().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var rows = lines.Skip(1).Select(l => l.Split(',')).Select(c => (string[])[.. c[..4], Classes[int.Parse(c[4], CultureInfo.InvariantCulture)]]).ToArray();
        new Random(7).Shuffle(rows);
        return (lines[0], rows);
    }
}
