using System.Globalization;
using System.Text.Json;
using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Data;

/// <summary>Row indices of the training and validation parts.</summary>
internal sealed record DataSplit(int[] Train, int[] Val)
{
    /// <summary>A seeded shuffle; the last ceil(fraction · rows) rows of the permutation are the validation part.</summary>
    public static DataSplit ByFraction(int rows, double fraction, int seed)
    {
        var val = (int)Math.Ceiling(fraction * rows);
        if (val < 1 || val >= rows)
            throw new SpecException("validation_fraction", string.Create(CultureInfo.InvariantCulture, $"{fraction} of {rows} rows leaves {rows - val} for training and {val} for validation; both need at least one"));
        var order = Enumerable.Range(0, rows).ToArray();
        // Its own stream, so that the split does not move when a synthetic set draws more or fewer numbers from data_seed.
        new Xoshiro256Generator((seed * 2L) + 1).Shuffle(order);
        return new DataSplit(order[..(rows - val)], order[(rows - val)..]);
    }

    /// <summary>Reads {"train": [...], "val": [...]} of 0-based row indices; the two must be disjoint and within the data.
    /// A built-in split name (<see cref="BuiltInDatasets.SplitNames"/>) reads the embedded copy instead of a file.</summary>
    public static DataSplit FromFile(string path, int rows, DataFiles files)
    {
        var builtIn = BuiltInDatasets.IsSplit(path);
        var text = builtIn ? BuiltInDatasets.ReadText(path + ".json") : files.ReadAllText(path, "split_file");
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            // The parser's message quotes the offending character; the position is what the user needs, and all they get.
            throw new SpecException("split_file", string.Create(CultureInfo.InvariantCulture,
                $"{path} is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1} of the line)"));
        }
        if (root.ValueKind != JsonValueKind.Object) throw new SpecException("split_file", $"{path} must hold a JSON object with \"train\" and \"val\" arrays");
        var train = ReadIndices(root, "train", path, rows);
        var val = ReadIndices(root, "val", path, rows);
        var seen = new bool[rows];
        foreach (var i in train.Concat(val))
        {
            if (seen[i]) throw new SpecException("split_file", $"{path}: row {i} appears more than once");
            seen[i] = true;
        }
        return new DataSplit(train, val);
    }

    private static int[] ReadIndices(JsonElement root, string name, string path, int rows)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
            throw new SpecException("split_file", $"{path} has no \"{name}\" array");
        var result = new int[array.GetArrayLength()];
        var n = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var index) || index < 0 || index >= rows)
                throw new SpecException("split_file", $"{path}: \"{name}\"[{n}] is not a row index from 0 to {rows - 1}");
            result[n++] = index;
        }
        if (result.Length == 0) throw new SpecException("split_file", $"{path}: \"{name}\" is empty");
        return result;
    }
}
