using System.Globalization;

namespace ExperimentCluster.Training.Data;

/// <summary>
/// Reads a CSV: one header row, then one row per sample; feature columns of numbers or of categories
/// (<see cref="CategoryColumns"/>), a class column of ids or of names. Errors name the line (1-based, header included) and
/// the column, because that is where the user has to look, and never quote a cell: the message may travel to whoever
/// submitted the sweep, and the cell is the file's data.
/// </summary>
internal static class CsvDatasetReader
{
    /// <param name="text">The whole file.</param>
    /// <param name="source">How to call the file in messages.</param>
    /// <param name="target">The label/target column; null picks "label", else "target".</param>
    /// <param name="task">classification | regression | null (classification when the column is "label").</param>
    public static RawDataset Read(string text, string source, string? target, string? task)
    {
        var (lines, count) = Lines(text, source);
        var header = Header(lines[0], source);
        var targetName = target ?? (header.Contains("label") ? "label" : header.Contains("target") ? "target" : null);
        if (targetName is null)
            throw new SpecException("target", $"{source} has no 'label' or 'target' column; name the column to predict (columns: {string.Join(", ", header)})");
        var targetIndex = Array.IndexOf(header, targetName);
        if (targetIndex < 0)
            throw new SpecException("target", $"{source} has no column '{targetName}' (columns: {string.Join(", ", header)})");
        if (header.Length < 2) throw new SpecException("dataset", $"{source} needs at least one feature column besides '{targetName}'");
        var classification = (task ?? (targetName == "label" ? "classification" : "regression")) == "classification";

        var rows = count - 1;
        if (rows < 2) throw new SpecException("dataset", $"{source} has {rows} data rows; at least 2 are needed");
        var categories = CategoryColumns.Find(lines, count, header, targetIndex, source);
        var columns = Enumerable.Range(0, header.Length).Where(c => c != targetIndex).Sum(categories.Width);
        var features = new double[(long)rows * columns];
        var labels = classification ? new int[rows] : [];
        var targets = classification ? [] : new double[rows];
        // A class column may hold names (setosa, versicolor) instead of ids: kept as written until every row is read.
        var classTexts = classification ? new string[rows] : [];
        for (var r = 0; r < rows; r++)
        {
            var lineNumber = r + 2;
            var line = lines[r + 1].AsSpan().TrimEnd('\r');
            var column = 0;
            var feature = 0;
            foreach (var range in line.Split(','))
            {
                if (column >= header.Length)
                    throw new SpecException("dataset", $"{source} line {lineNumber}: more cells than the {header.Length} header columns");
                var cell = CsvCell(line[range]);
                if (column == targetIndex && classification)
                {
                    if (cell.IsEmpty)
                        throw new SpecException("target", $"{source} line {lineNumber}, column '{targetName}': empty (a missing class): fill it in or leave the row out");
                    classTexts[r] = cell.ToString();
                    column++;
                    continue;
                }
                if (column != targetIndex && categories.Values.ContainsKey(column))
                {
                    if (cell.IsEmpty)
                        throw new SpecException("dataset", $"{source} line {lineNumber}, column '{header[column]}': {NotANumber(cell, false)}");
                    features[((long)r * columns) + feature + categories.IndexOf(column, cell)] = 1;
                    feature += categories.Width(column);
                    column++;
                    continue;
                }
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                    throw new SpecException(column == targetIndex ? "target" : "dataset",
                        $"{source} line {lineNumber}, column '{header[column]}': {NotANumber(cell, column == targetIndex)}");
                if (column == targetIndex)
                {
                    targets[r] = value;
                }
                else
                {
                    features[((long)r * columns) + feature++] = value;
                }
                column++;
            }
            if (column != header.Length)
                throw new SpecException("dataset", $"{source} line {lineNumber}: {column} cells, the header has {header.Length}");
        }
        var classNames = classification ? Classes(classTexts, labels, source, targetName) : null;
        var classes = classification ? classNames?.Length ?? labels.Max() + 1 : 0;
        if (classification && classes < 2)
            throw new SpecException("target", $"{source} column '{targetName}' has a single class; classification needs two or more");
        var names = categories.FeatureNames(header, targetIndex);
        return new RawDataset(source, names, features, rows, columns, classification, labels, targets, classes)
        {
            ClassNames = classNames,
            Categories = categories.Values.Count == 0 ? null : categories.Values.ToDictionary(kv => header[kv.Key], kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal),
        };
    }

    /// <summary>The file's lines and how many count (blank lines at the end do not); an empty file is refused.</summary>
    internal static (string[] Lines, int Count) Lines(string text, string source)
    {
        var lines = text.Split('\n');
        var count = lines.Length;
        while (count > 0 && lines[count - 1].TrimEnd('\r').Length == 0) count--;
        return count == 0 ? throw new SpecException("dataset", $"{source} is empty") : (lines, count);
    }

    /// <summary>The header row's column names. Every column has a name of its own: a model's features and a sweep's target
    /// are named by them.</summary>
    internal static string[] Header(string line, string source)
    {
        var header = line.TrimEnd('\r').Split(',').Select(h => CsvCell(h).ToString()).ToArray();
        // A spreadsheet set to another locale writes ';' between cells (and ',' in numbers); a TSV has tabs.
        if (header.Length == 1 && header[0].IndexOfAny([';', '\t']) is var at and >= 0)
            throw new SpecException("dataset", $"{source} line 1 has no comma: its cells are separated by {(header[0][at] == ';' ? "';'" : "tabs")}; save it as comma-separated values (decimal points as '.')");
        for (var c = 0; c < header.Length; c++)
        {
            if (header[c].Length == 0)
                throw new SpecException("dataset", $"{source} line 1, column {c + 1} has no name{(c == header.Length - 1 ? " (a comma at the end of the lines?)" : "")}");
            var first = Array.IndexOf(header, header[c]);
            if (first < c)
                throw new SpecException("dataset", $"{source} line 1 names column '{header[c]}' twice (columns {first + 1} and {c + 1})");
        }
        return header;
    }

    /// <summary>Fills <paramref name="labels"/> from the class column. Whole numbers from 0 everywhere are the ids themselves
    /// (null: no names); otherwise each distinct text is a class, numbered in ordinal order of the texts, and the names are
    /// returned so that a model can say which class an output is.</summary>
    private static string[]? Classes(string[] texts, int[] labels, string source, string column)
    {
        const int MaxClasses = 1000;
        var ids = true;
        for (var r = 0; r < texts.Length && ids; r++)
        {
            ids = int.TryParse(texts[r], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id <= 100_000;
            if (ids)
                labels[r] = id;
        }

        if (ids)
            return null;
        // A number that is no class id among ids (1.5, -1) is more likely a mistake than a name.
        if (texts.All(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            var row = Array.FindIndex(texts, t => !int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id > 100_000);
            throw new SpecException("target", $"{source} line {row + 2}, column '{column}': not a class id (a whole number from 0, or a class name)");
        }

        // Ids on some rows and names on others is a column to fix, not a set of classes (is "1" a name or class 1?).
        var firstId = Array.FindIndex(texts, t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        if (firstId >= 0)
        {
            var firstName = Array.FindIndex(texts, t => !double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            throw new SpecException("target", $"{source} line {Math.Max(firstId, firstName) + 2}, column '{column}': {(firstId > firstName ? "a number among class names" : "text among class ids")}: name every class or number every class (0, 1, 2, ...)");
        }

        var names = texts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (names.Length > MaxClasses)
            throw new SpecException("target", $"{source} column '{column}' has {names.Length} distinct values, more than the {MaxClasses} classes a classification can have (a regression target? set task: regression)");
        var index = names.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        for (var r = 0; r < texts.Length; r++)
            labels[r] = index[texts[r]];
        return names;
    }

    /// <summary>A cell as the data: trimmed, and without the double quotes a spreadsheet may put around any cell ("5.1" is
    /// the number 5.1). A quoted cell holding a comma is not supported: its row then has more cells than the header.</summary>
    internal static ReadOnlySpan<char> CsvCell(ReadOnlySpan<char> cell)
    {
        cell = cell.Trim();
        return cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' ? cell[1..^1].Trim() : cell;
    }

    /// <summary>What a cell that is no finite number is, and what to do about it (a missing value and a word such as a
    /// category name are the usual cases), without quoting it.</summary>
    internal static string NotANumber(ReadOnlySpan<char> cell, bool target) =>
        cell.IsEmpty ? "empty (a missing value): fill it in or leave the row out"
        : double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? "not a finite number (NaN or infinity)"
        : target ? "text, not a number: a regression target is a number (if the column names classes, set task: classification)"
        : "text, not a number, in a column of numbers: fix the cell or leave the row out (a column of text alone is read as categories, a 0/1 feature per value)";
}
