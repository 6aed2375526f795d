using System.Globalization;
using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Training.Prediction;

/// <summary>
/// A CSV's rows as a model reads them: its feature columns found by name (any order, other columns ignored), a category
/// column as the model's own 0/1 features, and, when the file has the target column, the true class or value of each row
/// so that the predictions can be scored. The rules and messages are the training reader's (<see cref="CsvDatasetReader"/>):
/// errors name the line and column and never quote a cell.
/// </summary>
public sealed class PredictionRows
{
    private PredictionRows(string source, int[] lines, double[] features, int columns, string? target, int[]? labels, double[]? targets)
    {
        Source = source;
        Lines = lines;
        Features = features;
        Columns = columns;
        Target = target;
        Labels = labels;
        Targets = targets;
    }

    public string Source { get; }

    /// <summary>Each row's line in the file (1-based, the header being line 1), as the messages name them.</summary>
    public IReadOnlyList<int> Lines { get; }

    public int Count => Lines.Count;

    /// <summary>The target column when the file has it (then <see cref="Labels"/> or <see cref="Targets"/> is set), else null.</summary>
    public string? Target { get; }

    /// <summary>A classifier's true class per row (its index among the model's outputs).</summary>
    public IReadOnlyList<int>? Labels { get; }

    /// <summary>A regression's true value per row, in the target's own units.</summary>
    public IReadOnlyList<double>? Targets { get; }

    private double[] Features { get; }

    private int Columns { get; }

    /// <summary>Row <paramref name="row"/>'s raw features, in the model's order.</summary>
    public ReadOnlySpan<double> Row(int row) => Features.AsSpan(row * Columns, Columns);

    /// <param name="text">The whole file.</param>
    /// <param name="source">How to call the file in messages.</param>
    /// <param name="model">The model whose features are read.</param>
    /// <param name="target">The column of true values; null looks for 'label', else 'target', and scores nothing when neither is there.</param>
    public static PredictionRows Read(string text, string source, TrainedModel model, string? target)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(model);
        var (lines, count) = CsvDatasetReader.Lines(text, source);
        var header = CsvDatasetReader.Header(lines[0], source);
        if (count == 1) throw new SpecException("dataset", $"{source} has no data rows");

        var targetName = target ?? (header.Contains("label") ? "label" : header.Contains("target") ? "target" : null);
        var targetIndex = targetName is null ? -1 : Array.IndexOf(header, targetName);
        if (target is not null && targetIndex < 0)
            throw new SpecException("target", $"{source} has no column '{target}' (columns: {string.Join(", ", header)})");
        var sources = FeatureSources(model, header, targetIndex, source);

        var classification = model.Task == "classification";
        var classIndex = model.ClassNames?.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var rows = count - 1;
        var features = new double[(long)rows * sources.Length];
        var labels = targetIndex >= 0 && classification ? new int[rows] : null;
        var targets = targetIndex >= 0 && !classification ? new double[rows] : null;
        var cells = new string[header.Length];
        for (var r = 0; r < rows; r++)
        {
            var lineNumber = r + 2;
            var line = lines[r + 1].AsSpan().TrimEnd('\r');
            var column = 0;
            foreach (var range in line.Split(','))
            {
                if (column >= header.Length)
                    throw new SpecException("dataset", $"{source} line {lineNumber}: more cells than the {header.Length} header columns");
                cells[column++] = CsvDatasetReader.CsvCell(line[range]).ToString();
            }
            if (column != header.Length)
                throw new SpecException("dataset", $"{source} line {lineNumber}: {column} cells, the header has {header.Length}");
            for (var f = 0; f < sources.Length; f++)
                features[((long)r * sources.Length) + f] = sources[f].Value(cells, header, source, lineNumber);
            if (labels is not null)
                labels[r] = ClassOf(cells[targetIndex], classIndex, model.Classes!.Value, source, lineNumber, targetName!);
            if (targets is not null)
                targets[r] = Number(cells[targetIndex], source, lineNumber, targetName!, target: true);
        }
        return new PredictionRows(source, [.. Enumerable.Range(2, rows)], features, sources.Length, targetIndex >= 0 ? targetName : null, labels, targets);
    }

    /// <summary>Where each of the model's features comes from: a column of numbers, or one value of a category column.</summary>
    private static FeatureSource[] FeatureSources(TrainedModel model, string[] header, int targetIndex, string source)
    {
        var categoryOf = (model.Categories ?? new Dictionary<string, IReadOnlyList<string>>())
            .SelectMany(kv => kv.Value.Select(v => (feature: $"{kv.Key}={v}", column: kv.Key, value: v)))
            .ToDictionary(p => p.feature, p => (p.column, p.value), StringComparer.Ordinal);
        return [.. model.Features.Select(name =>
        {
            var (column, value) = categoryOf.TryGetValue(name, out var category) ? category : (name, null);
            var index = Array.IndexOf(header, column);
            if (index < 0)
                throw new SpecException("dataset", $"{source} has no column '{column}', which the model reads (it reads {string.Join(", ", ModelColumns(model))}; the file has {string.Join(", ", header)})");
            if (index == targetIndex)
                throw new SpecException("target", $"'{column}' is a feature of the model, not the column of true values; name that with --target");
            return new FeatureSource(index, value, value is null ? null : model.Categories![column]);
        })];
    }

    /// <summary>The columns a model reads: its features, a category column once by its name.</summary>
    public static IEnumerable<string> ModelColumns(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var categories = model.Categories ?? new Dictionary<string, IReadOnlyList<string>>();
        return model.Features.Select(f => categories.Keys.FirstOrDefault(c => categories[c].Any(v => f == $"{c}={v}")) ?? f).Distinct(StringComparer.Ordinal);
    }

    private static int ClassOf(string cell, Dictionary<string, int>? names, int classes, string source, int line, string column)
    {
        if (cell.Length == 0)
            throw new SpecException("target", $"{source} line {line}, column '{column}': empty (a missing class): fill it in or leave the row out");
        if (names is not null)
            return names.TryGetValue(cell, out var index) ? index
                : throw new SpecException("target", $"{source} line {line}, column '{column}': not one of the model's classes ({string.Join(", ", names.Keys)})");
        return int.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id < classes ? id
            : throw new SpecException("target", $"{source} line {line}, column '{column}': not a class of the model (a whole number from 0 to {classes - 1})");
    }

    private static double Number(string cell, string source, int line, string column, bool target) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
            : throw new SpecException(target ? "target" : "dataset", $"{source} line {line}, column '{column}': {CsvDatasetReader.NotANumber(cell, target)}");

    /// <summary>A feature's column, and for a category feature the value it is 1 for (null: the column's number).</summary>
    private sealed record FeatureSource(int Column, string? Category, IReadOnlyList<string>? Known)
    {
        public double Value(string[] cells, string[] header, string source, int line)
        {
            var cell = cells[Column];
            if (Category is null)
                return Number(cell, source, line, header[Column], target: false);
            if (!Known!.Contains(cell, StringComparer.Ordinal))
                throw new SpecException("dataset", $"{source} line {line}, column '{header[Column]}': {(cell.Length == 0 ? "empty (a missing value)" : "a category the model was not trained on")} (its categories: {string.Join(", ", Known!)})");
            return cell == Category ? 1 : 0;
        }
    }
}
