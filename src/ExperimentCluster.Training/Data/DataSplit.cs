using System.Globalization;
using System.Text.Json;
using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Data;

/// <summary>Row indices of the training and validation parts.</summary>
internal sealed record DataSplit(int[] Train, int[] Val)
{
    /// <summary>The split a spec asks for: a split file, a fold of its folds, or its validation fraction.</summary>
    public static DataSplit For(TrainingSpec spec, int rows, DataFiles files) =>
        spec.SplitFile is not null ? FromFile(spec.SplitFile, rows, files)
        : spec.Folds is { } folds ? ByFold(rows, folds, spec.Fold, spec.DataSeed)
        : ByFraction(rows, spec.ValidationFraction, spec.DataSeed);

    /// <summary>What decides <see cref="For"/>'s rows, as a cache key (a split file by its identity on disk).</summary>
    public static string Key(TrainingSpec spec, DataFiles files) =>
        spec.SplitFile is not null
            ? BuiltInDatasets.IsSplit(spec.SplitFile) ? "builtin:" + spec.SplitFile : "file:" + files.Check(spec.SplitFile, "split_file").Identity
        : spec.Folds is { } folds ? string.Create(CultureInfo.InvariantCulture, $"fold:{spec.Fold}:{folds}:{spec.DataSeed}")
        : string.Create(CultureInfo.InvariantCulture, $"fraction:{spec.ValidationFraction:R}:{spec.DataSeed}");

    /// <summary>A seeded shuffle; the last ceil(fraction · rows) rows of the permutation are the validation part.</summary>
    public static DataSplit ByFraction(int rows, double fraction, int seed)
    {
        var val = (int)Math.Ceiling(fraction * rows);
        if (val < 1 || val >= rows)
            throw new SpecException("validation_fraction", string.Create(CultureInfo.InvariantCulture, $"{fraction} of {rows} rows leaves {rows - val} for training and {val} for validation; both need at least one"));
        var order = Permutation(rows, seed);
        return new DataSplit(order[..(rows - val)], order[(rows - val)..]);
    }

    /// <summary>The same seeded shuffle cut into <paramref name="folds"/> parts as equal as whole rows allow (part f: rows
    /// f·n/k to (f+1)·n/k of the permutation); part <paramref name="fold"/> validates. Over the folds of one seed, every row
    /// validates exactly once.</summary>
    public static DataSplit ByFold(int rows, int folds, int fold, int seed)
    {
        if (rows < folds)
            throw new SpecException("folds", string.Create(CultureInfo.InvariantCulture, $"{folds} folds of {rows} rows would leave a fold without a row; at most {rows} folds"));
        var order = Permutation(rows, seed);
        var start = (int)((long)fold * rows / folds);
        var end = (int)((long)(fold + 1) * rows / folds);
        return new DataSplit([.. order[..start], .. order[end..]], order[start..end]);
    }

    /// <summary>Its own stream, so that the split does not move when a synthetic set draws more or fewer numbers from data_seed.</summary>
    private static int[] Permutation(int rows, int seed)
    {
        var order = Enumerable.Range(0, rows).ToArray();
        new Xoshiro256Generator((seed * 2L) + 1).Shuffle(order);
        return order;
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
