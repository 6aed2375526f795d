using System.Globalization;

namespace ExperimentCluster.Training.Data;

/// <summary>
/// A CSV's feature columns of text alone (a colour, a country): each is read as categories, one 0/1 feature per distinct
/// value (named <c>column=value</c>, in ordinal order of the values), as a one-hot encoder would. A column with numbers in
/// it is a column of numbers, and a text cell there is an error (an "NA" among ages is a missing value, not a category).
/// </summary>
internal sealed class CategoryColumns
{
    /// <summary>The most values a category column may have: more is an identifier or free text, not a category, and would
    /// make as many features.</summary>
    public const int MaxValues = 100;

    private readonly Dictionary<int, Dictionary<string, int>> _indexOf;

    private CategoryColumns(Dictionary<int, string[]> values)
    {
        Values = values;
        _indexOf = values.ToDictionary(kv => kv.Key, kv => kv.Value.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal));
    }

    /// <summary>Per category column (by its index in the header), its values in order.</summary>
    public IReadOnlyDictionary<int, string[]> Values { get; }

    /// <summary>Scans the data rows once: the columns (other than <paramref name="skip"/>, the target) with no number and at
    /// least one text cell. Malformed rows are left to the reader, which names them.</summary>
    public static CategoryColumns Find(string[] lines, int count, string[] header, int skip, string source)
    {
        var numeric = new bool[header.Length];
        var texts = new HashSet<string>?[header.Length];
        for (var r = 1; r < count; r++)
        {
            var line = lines[r].AsSpan().TrimEnd('\r');
            var column = 0;
            foreach (var range in line.Split(','))
            {
                if (column >= header.Length)
                    break;
                var cell = CsvDatasetReader.CsvCell(line[range]);
                if (column != skip && !cell.IsEmpty && !numeric[column])
                {
                    if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                        numeric[column] = true;
                    else if ((texts[column] ??= new HashSet<string>(StringComparer.Ordinal)).Count <= MaxValues)
                        texts[column]!.Add(cell.ToString());
                }
                column++;
            }
        }

        var values = new Dictionary<int, string[]>();
        for (var c = 0; c < header.Length; c++)
        {
            if (numeric[c] || texts[c] is not { Count: > 0 } set)
                continue;
            if (set.Count > MaxValues)
                throw new SpecException("dataset", $"{source} column '{header[c]}' holds text with more than {MaxValues} distinct values: as categories that would be as many features (an identifier or free text?); leave it out or encode it as numbers");
            values[c] = [.. set.Order(StringComparer.Ordinal)];
        }

        return new CategoryColumns(values);
    }

    /// <summary>How many features column <paramref name="column"/> makes.</summary>
    public int Width(int column) => Values.TryGetValue(column, out var values) ? values.Length : 1;

    /// <summary>The place of <paramref name="cell"/> among a category column's values.</summary>
    public int IndexOf(int column, ReadOnlySpan<char> cell) => _indexOf[column][cell.ToString()];

    /// <summary>The features' names: a column of numbers by its header, a category column as <c>column=value</c> each.</summary>
    public string[] FeatureNames(string[] header, int skip) =>
        [.. header.SelectMany((name, c) => c == skip ? [] : Values.TryGetValue(c, out var values) ? values.Select(v => $"{name}={v}") : [name])];
}
