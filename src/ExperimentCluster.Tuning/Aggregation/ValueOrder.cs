using System.Globalization;
using System.Text.Json;

namespace ExperimentCluster.Tuning;

/// <summary>
/// The order in which one parameter's values are listed (per-value summaries, the page, the plots, the comparison): by
/// the numbers in them, the rest by text. A number is itself; a list of numbers (<c>[32,32]</c>) is its elements, compared
/// one by one, a shorter list first when it is a prefix; a range label (<c>"1E-05..0.0001"</c>, the decade and bin labels
/// of a range's summaries) is its two ends. Values with numbers come before those without. By text alone, the decade
/// 1E-05..0.0001 came after 0.01..0.1 and [32,32] before [32].
/// </summary>
internal static class ValueOrder
{
    /// <summary><paramref name="items"/> in the order of their values (JSON text), each value read once: the results a page
    /// polls sort every parameter's values.</summary>
    public static IEnumerable<T> Sort<T>(IEnumerable<T> items, Func<T, string> value) =>
        items.Select(item => (Item: item, Key: new Key(Numbers(value(item)), value(item))))
            .OrderBy(x => x.Key, KeyComparer.Instance)
            .Select(x => x.Item);

    private sealed record Key(double[]? Numbers, string Text);

    private sealed class KeyComparer : IComparer<Key>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare(Key? x, Key? y)
        {
            var (a, b) = (x!.Numbers, y!.Numbers);
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

            return string.CompareOrdinal(x.Text, y.Text);
        }
    }

    /// <summary>The numbers a value (JSON text) stands for, or null when it is not a number, a list of numbers or a range label.</summary>
    private static double[]? Numbers(string text)
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
