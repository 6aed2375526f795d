using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>
/// A string that already holds JSON (the trainer settings, a swept value) is written as that JSON value, not as a
/// string of JSON, so readers get numbers, lists and objects.
/// </summary>
public sealed class JsonTextConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteRawValue(value);
}
