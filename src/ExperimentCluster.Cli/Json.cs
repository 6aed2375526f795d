using System.Text;
using System.Text.Json;

namespace ExperimentCluster.Cli;

/// <summary>JSON output helpers: NaN and infinities are written as null so that every line stays valid JSON.</summary>
public static class Json
{
    public static void Number(this Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
            w.WriteNumber(name, v);
        else
            w.WriteNull(name);
    }

    /// <summary>Swept values are stored as JSON text; they are written back as JSON values, not strings.</summary>
    public static void Config(this Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> config)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in config.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(key);
            w.WriteRawValue(value);
        }
        w.WriteEndObject();
    }

    public static string Line(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
