using System.Globalization;
using System.Text.Json;

namespace ExperimentCluster.Tuning;

/// <summary>
/// The order in which one parameter's values are listed (per-value summaries, the page, the plots): by the numbers in
/// them, the rest by text. A number is itself; a list of numbers (<c>[32,32]</c>) is its elements, compared one by one, a
/// shorter list first when it is a prefix; a range label (<c>"1E-05..0.0001"</c>, the decade and bin labels of a range's
/// summaries) is its two ends. Values with numbers come before those without. By text alone, the decade 1E-05..0.0001
/// came after 0.01..0.1 and [32,32] before [32].
/// </summary>
internal sealed class ValueOrder : IComparer<string>
{
    public static readonly ValueOrder Instance = new();

    private ValueOrder()
    {
    }

    public int Compare(string? x, string? y)
    {
        var (a, b) = (Numbers(x), Numbers(y));
        if (a is not null && b is not null)
        {
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                var c = a[i].CompareTo(b[i]);
                if (c != 0)
                    return c;
            }

            if (a.Length != b.Length)
                return a.Length.CompareTo(b.Length);
        }
        else if (a is not null || b is not null)
        {
            return a is not null ? -1 : 1;
        }

        return string.CompareOrdinal(x, y);
    }

    /// <summary>The numbers a value (JSON text) stands for, or null when it is not a number, a list of numbers or a range label.</summary>
    private static double[]? Numbers(string? text)
    {
        if (JsonText.TryParseNumber(text, out var number))
            return [number];
        if (string.IsNullOrEmpty(text))
            return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0 && root.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number))
                return [.. root.EnumerateArray().Select(e => e.GetDouble())];
            if (root.ValueKind == JsonValueKind.String && root.GetString()!.Split("..") is [var low, var high]
                && double.TryParse(low, NumberStyles.Float, CultureInfo.InvariantCulture, out var lo)
                && double.TryParse(high, NumberStyles.Float, CultureInfo.InvariantCulture, out var hi))
                return [lo, hi];
        }
        catch (JsonException)
        {
            // Not JSON (a value stored before values were JSON text): ordered by text.
        }

        return null;
    }
}
