using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>
/// Hyperparameters are stored as name -> JSON text; they are written as an object of JSON values, names in ordinal
/// order so that the same run always gives the same bytes.
/// </summary>
public sealed class JsonTextMapConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    public override IReadOnlyDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal);
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, json) in value.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(json);
        }
        writer.WriteEndObject();
    }
}
