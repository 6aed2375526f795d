using System.CommandLine;
using System.Globalization;
using System.Text;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Cli.Output;
using ExperimentCluster.Contracts;
using ExperimentCluster.Training;
using ExperimentCluster.Training.Data;
using ExperimentCluster.Training.Prediction;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl predict MODEL|SWEEP [RUN] --dataset FILE [--target NAME] [--out FILE] [--json]`: a trained model (a file as
/// `excl model` or `excl train --save-model` writes it, or a sweep's run, taken as `excl model` takes it) applied to a
/// CSV's rows, in this process. The predictions go to a CSV (or, without --out, to
/// standard output); when the file has the column of true values, the model is scored on it, which on rows the sweep never
/// saw is the honest figure for the configuration it chose.
/// </summary>
public static class PredictCommand
{
    public static Command Create(ConnectionOptions connection)
    {
        var model = CliOptions.Positional("MODEL", "a model file (as `excl model` or `excl train --save-model` writes it: a path, or a name ending in .json), or a sweep's id");
        var run = CliOptions.Positional("RUN", "with a sweep's id: the run's number; without it, the run whose checkpoint keep_checkpoints: best keeps (as `excl model`)", required: false);
        var dataset = CliOptions.Text("--dataset", "the CSV of rows to predict: a header row naming the model's feature columns (any order; other columns are ignored)", helpName: "file");
        var target = CliOptions.Text("--target", "the column of true values to score the predictions against", "'label', else 'target', when the file has one; else no score", "column");
        var output = CliOptions.Text("--out", "write the predictions to this CSV file (never over a file that is there)", "standard output", "file");
        var json = CliOptions.Flag("--json", "one JSON object per row (without --out), then a summary");
        var command = new Command("predict", "applies a trained model's file to a CSV's rows, and scores it where the file has the true values")
        {
            model, run, dataset, target, output, json,
        };
        connection.AddTo(command, trains: false);
        command.SetAction(parse => RunAsync(connection.Read(parse), parse.GetValue(model)!, parse.GetValue(run), parse.GetValue(dataset), parse.GetValue(target), parse.GetValue(output), parse.GetValue(json)));
        return command;
    }

    private static async Task<int> RunAsync(ConnectionSettings settings, string modelArgument, string? runText, string? datasetPath, string? target, string? output, bool json)
    {
        if (datasetPath is null)
            throw new CliException("--dataset: name the CSV file of rows to predict");
        if (output is not null)
            NewPath.CheckFile(output, "--out");
        var files = LocalFiles(modelArgument, datasetPath);
        var fromFile = IsFile(modelArgument);
        if (fromFile && runText is not null)
            throw new CliException($"RUN: {modelArgument} is a model file; a run number goes with a sweep's id");
        var (modelJson, modelName) = fromFile
            ? (Read(() => files.ReadAllText(modelArgument, "model")), modelArgument)
            : await FromSweepAsync(settings, modelArgument, ModelCommand.RunNumber(runText), datasetPath);
        var (predictor, rows) = Load(modelJson, modelName, files, datasetPath, target);
        var evaluation = rows.Target is null ? null : ModelEvaluation.Of(predictor, rows);

        if (output is not null)
            await File.WriteAllTextAsync(output, Csv(predictor, rows));
        else if (json)
            for (var r = 0; r < rows.Count; r++) Console.WriteLine(ExclJson.Line(Line(predictor, rows, r)));
        else
            Console.Out.Write(Csv(predictor, rows));

        if (json)
        {
            var e = evaluation;
            Console.WriteLine(ExclJson.Line(new PredictionSummaryLine("summary", rows.Count, output, rows.Target,
                e?.LogLoss, e?.Accuracy, e?.Correct, e?.Mse, e?.Rmse, e?.Mae, e?.StandardisedMse)));
        }
        else
        {
            // Beside predictions on standard output, the summary goes to standard error so that the CSV stays a CSV.
            var summary = output is null ? Console.Error : Console.Out;
            summary.WriteLine(Summary(predictor, rows, modelName, fromFile, output));
            summary.WriteLine(Score(predictor, rows, evaluation));
        }
        return 0;
    }

    /// <summary>A path, a name ending in .json or a file that is there is a model file; any other word a sweep's id.</summary>
    private static bool IsFile(string argument) =>
        argument.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || argument.Contains('/', StringComparison.Ordinal)
        || argument.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || File.Exists(argument);

    /// <summary>The user's own files, read in the user's own process: only devices, pipes and oversized files are refused.</summary>
    private static DataFiles LocalFiles(params string[] paths) =>
        new([Environment.CurrentDirectory, .. paths.Select(p => Path.GetDirectoryName(Path.GetFullPath(p))!)]);

    /// <summary>The model of a sweep's run, as `excl model` takes it: only a built-in run's network predicts here.</summary>
    private static Task<(string Json, string Name)> FromSweepAsync(ConnectionSettings settings, string id, int? number, string datasetPath) =>
        ModelCommand.WithModelAsync(settings, id, number, (connection, results, view, model) => model.Kind switch
        {
            RunModelKind.Network => Task.FromResult((System.Text.Encoding.UTF8.GetString(model.Content), $"run {view.Number} of sweep '{id}'")),
            RunModelKind.Folder => throw new CliException($"run {view.Number} of '{id}' is a command trial: what it keeps is its program's checkpoint folder ({connection.CommandLine($"model {ShellWord.Quote(id)} {view.Number}")}), which only your program can predict with"),
            _ => throw ModelCommand.NoModel(connection, results, id, number, view, model, $"predict {ShellWord.Quote(id)} --dataset {ShellWord.Quote(datasetPath)}"),
        });

    private static (ModelPredictor Predictor, PredictionRows Rows) Load(string modelJson, string modelName, DataFiles files, string datasetPath, string? target)
    {
        var predictor = Read(() => ModelPredictor.Read(modelJson, modelName));
        return (predictor, Read(() => PredictionRows.Read(files.ReadAllText(datasetPath, "dataset"), datasetPath, predictor.Model, target)));
    }

    /// <summary>A refusal of the model or the rows as one line naming what to fix.</summary>
    private static T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (SpecException e)
        {
            throw new CliException($"{(e.Field == "model" ? "MODEL" : "--" + e.Field)}: {e.Reason}");
        }
        catch (InvalidDataException e)
        {
            throw new CliException($"MODEL: {e.Message}");
        }
    }

    /// <summary>line, prediction, then a classifier's probability per class (named as the model names its classes).</summary>
    private static string Csv(ModelPredictor predictor, PredictionRows rows)
    {
        var text = new StringBuilder("line,prediction");
        var classes = ClassNames(predictor);
        if (predictor.Classification)
            foreach (var name in classes) text.Append(",probability_").Append(name);
        text.Append('\n');
        for (var r = 0; r < rows.Count; r++)
        {
            var outputs = predictor.Predict(rows.Row(r));
            text.Append(rows.Lines[r].ToString(CultureInfo.InvariantCulture)).Append(',');
            if (predictor.Classification)
            {
                text.Append(classes[Array.IndexOf(outputs, outputs.Max())]);
                foreach (var p in outputs) text.Append(',').Append(p.ToString("R", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(outputs[0].ToString("R", CultureInfo.InvariantCulture));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static PredictionLine Line(ModelPredictor predictor, PredictionRows rows, int r)
    {
        var outputs = predictor.Predict(rows.Row(r));
        if (!predictor.Classification)
            return new PredictionLine(rows.Lines[r], null, null, null, outputs[0]);
        var best = Array.IndexOf(outputs, outputs.Max());
        return new PredictionLine(rows.Lines[r], best, predictor.Model.ClassNames?[best], outputs, null);
    }

    private static IReadOnlyList<string> ClassNames(ModelPredictor predictor) =>
        predictor.Model.ClassNames ?? [.. Enumerable.Range(0, predictor.Outputs).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    private static string Summary(ModelPredictor predictor, PredictionRows rows, string modelName, bool fromFile, string? output)
    {
        var m = predictor.Model;
        // A file exported from a sweep says which run it is; a run fetched by the sweep's id is named so already.
        var origin = fromFile && m.Sweep is not null && m.Run is not null
            ? $"run {m.Run} of sweep '{m.Sweep}', after epoch {m.Epoch}" : $"after epoch {m.Epoch}";
        return $"predicted {rows.Count} row{(rows.Count == 1 ? "" : "s")} of {rows.Source} with {modelName} ({origin})" + (output is null ? "" : $": wrote {output}");
    }

    private static string Score(ModelPredictor predictor, PredictionRows rows, ModelEvaluation? e)
    {
        if (e is null)
            return $"no score: {rows.Source} has no 'label' or 'target' column of true values (name one with --target)";
        var f = CultureInfo.InvariantCulture;
        return predictor.Classification
            ? string.Create(f, $"against '{rows.Target}': log loss {e.LogLoss:G6}, accuracy {e.Accuracy:F4} ({e.Correct} of {e.Rows})")
            : string.Create(f, $"against '{rows.Target}': rmse {e.Rmse:G6}, mae {e.Mae:G6} (in the target's units); mean squared error of the standardised target {e.StandardisedMse:G6} (the loss a sweep with the mse loss reports)");
    }
}
