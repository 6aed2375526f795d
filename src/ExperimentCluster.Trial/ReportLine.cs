using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ExperimentCluster.Trial;

/// <summary>
/// The text of one report line: <c>{"epoch": 3, "val_loss": 0.412, "checkpoint": true}</c>, spaced as Python's json writes
/// it. Written by hand rather than by Utf8JsonWriter because the protocol wants non-finite numbers as bare NaN/Infinity
/// tokens, which no standard JSON writer produces.
/// </summary>
internal static class ReportLine
{
    /// <summary>Names the protocol gives a meaning of its own; a metric may not take them.</summary>
    private static readonly string[] Reserved = ["epoch", "step", "checkpoint"];

    public static string Format(int epoch, IEnumerable<KeyValuePair<string, double>> metrics, bool checkpoint)
    {
        if (epoch < 1)
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "reports count epochs from 1");
        var line = new StringBuilder("{\"epoch\": ").Append(epoch.ToString(CultureInfo.InvariantCulture));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in metrics)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException("a metric name is empty", nameof(metrics));
            if (Reserved.Contains(name, StringComparer.Ordinal))
                throw new ArgumentException($"metric name '{name}' is reserved by the trial protocol", nameof(metrics));
            if (!seen.Add(name))
                throw new ArgumentException($"metric '{name}' is given twice", nameof(metrics));
            line.Append(", ").Append(JsonSerializer.Serialize(name)).Append(": ").Append(Number(value));
        }
        if (checkpoint)
            line.Append(", \"checkpoint\": true");
        return line.Append('}').ToString();
    }

    /// <summary>The shortest text that reads back as the same double; NaN, Infinity, -Infinity as bare tokens.</summary>
    public static string Number(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
