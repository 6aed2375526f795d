using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>
/// A curve drawn on the page needs five significant digits, not seventeen: a 1,000-run sweep's curves then stay near a
/// megabyte before compression. Non-finite values are null, as everywhere.
/// </summary>
public sealed class FiveDigitsConverter : JsonConverter<IReadOnlyList<double>>
{
    public override IReadOnlyList<double> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var values = new List<double>();
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("a curve is an array of numbers");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            values.Add(reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble());
        return values;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<double> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var d in value)
        {
            if (double.IsFinite(d))
                writer.WriteRawValue(d.ToString("G5", CultureInfo.InvariantCulture), skipInputValidation: true);
            else
                writer.WriteNullValue();
        }
        writer.WriteEndArray();
    }
}
