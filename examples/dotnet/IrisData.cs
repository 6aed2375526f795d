using System.Globalization;

namespace ExampleTrainer;

/// <summary>Rows of features (scaled) with their class ids.</summary>
internal sealed record Rows(double[][] Features, int[] Labels);

/// <summary>iris.csv read and split as the Python example does: every 5th row is validation, the rest training.</summary>
internal static class IrisData
{
    private const int ValidationEvery = 5; // 30 validation rows, 10 of each class (the file lists the classes in order)

    public static (Rows Train, Rows Validation) Load(string path)
    {
        var features = new List<double[]>();
        var labels = new List<int>();
        foreach (var line in File.ReadLines(path).Skip(1).Where(l => l.Trim().Length > 0))
        {
            var cells = line.Trim().Split(',');
            features.Add(cells[..^1].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray());
            labels.Add(int.Parse(cells[^1], CultureInfo.InvariantCulture));
        }
        var train = Enumerable.Range(0, labels.Count).Where(i => i % ValidationEvery != ValidationEvery - 1).ToArray();
        var validation = Enumerable.Range(0, labels.Count).Where(i => i % ValidationEvery == ValidationEvery - 1).ToArray();

        // Scaled by the training rows' mean and (population) standard deviation.
        var columns = features[0].Length;
        var mean = new double[columns];
        var std = new double[columns];
        for (var c = 0; c < columns; c++)
        {
            mean[c] = train.Sum(i => features[i][c]) / train.Length;
            std[c] = Math.Sqrt(train.Sum(i => (features[i][c] - mean[c]) * (features[i][c] - mean[c])) / train.Length);
        }
        Rows Scaled(int[] rows) => new(
            rows.Select(i => Enumerable.Range(0, columns).Select(c => (features[i][c] - mean[c]) / std[c]).ToArray()).ToArray(),
            rows.Select(i => labels[i]).ToArray());
        return (Scaled(train), Scaled(validation));
    }
}
