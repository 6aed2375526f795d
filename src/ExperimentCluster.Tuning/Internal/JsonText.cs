using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExperimentCluster.Tuning;

/// <summary>Parameter values are JSON text; this keeps one spelling per value so that configurations compare by text.</summary>
internal static class JsonText
{
    private static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Shortest text that reads back as the same double (<c>0.01</c>, <c>1E-05</c>); integers in range print without a point.</summary>
    public static string FormatDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no text for a non-finite number");
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    public static string FormatInteger(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Quote(string text) => JsonSerializer.Serialize(text, SerializerOptions);

    public static bool TryParseNumber(string? text, out double value)
    {
        value = 0;
        return text is not null
            && text.Length > 0
            && (char.IsAsciiDigit(text[0]) || text[0] == '-')
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    public static bool TryParseInteger(string? text, out long value)
    {
        value = 0;
        if (text is null)
        {
            return false;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        // "64.0" and "6.4e1" are the integer 64 too.
        if (TryParseNumber(text, out var real) && real == Math.Floor(real) && Math.Abs(real) < 9e15)
        {
            value = (long)real;
            return true;
        }

        return false;
    }

    public static IReadOnlyList<string> CanonicalizeAll(IReadOnlyList<string>? values) =>
        values is null ? [] : values.Select(v => TryCanonicalize(v) ?? v).ToArray();

    /// <summary>The canonical spelling of a JSON value, or null when <paramref name="text"/> is not JSON.</summary>
    public static string? TryCanonicalize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (IsPlainCanonical(text))
        {
            return text;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                Write(writer, document.RootElement);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A cheap test for the common spellings that are already canonical (integers, shortest doubles, plain
    /// strings), so that building configurations does not parse JSON for every value.</summary>
    private static bool IsPlainCanonical(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        if (text[0] == '"')
        {
            if (text.Length < 2 || text[^1] != '"')
            {
                return false;
            }

            for (var i = 1; i < text.Length - 1; i++)
            {
                var c = text[i];
                if (c is '"' or '\\' || c < ' ' || c > '~')
                {
                    return false;
                }
            }

            return true;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return string.Equals(FormatInteger(integer), text, StringComparison.Ordinal);
        }

        return TryParseNumber(text, out var real)
            && (text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal))
            && string.Equals(FormatDouble(real), text, StringComparison.Ordinal);
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(element.TryGetInt64(out var integer) && !element.GetRawText().Contains('.', StringComparison.Ordinal)
                    ? FormatInteger(integer)
                    : FormatDouble(element.GetDouble()));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
