using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>A diverged run's losses may be NaN or infinite, which JSON cannot hold: they are written as null (and read back as NaN).</summary>
public sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteNullValue();
    }
}
