using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Training;

/// <summary>
/// The canonical JSON form of a <see cref="TrainingSpec"/>. Parsing is strict: an unknown key, a value of the wrong
/// type or an invalid setting throws <see cref="SpecException"/> naming the snake_case field, instead of being dropped.
/// </summary>
public static class TrainingSpecJson
{
    /// <summary>An option: its JSON name, its property, and whether null is allowed (read once: asking reflection for a
    /// property's nullability per value made checking a sweep's 200,000 listed values take seconds).</summary>
    private sealed record Field(string Name, PropertyInfo Property, bool Nullable);

    // Built once from the [JsonPropertyName] attributes, so that adding an option to TrainingSpec is the only change needed.
    private static readonly Field[] Fields = typeof(TrainingSpec)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null)
        .Select(p => new Field(p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name, p,
            System.Nullable.GetUnderlyingType(p.PropertyType) is not null || new NullabilityInfoContext().Create(p).WriteState == NullabilityState.Nullable))
        .ToArray();

    private static readonly Dictionary<string, Field> ByName = Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Reads and validates a spec; keys left out keep their defaults, an explicit null resets an optional field.</summary>
    /// <param name="files">Where data files may be read from; null: <see cref="DataFiles.None"/>, the built-in data sets only.</param>
    public static TrainingSpec Parse(JsonObject json, DataFiles? files = null)
    {
        var spec = ReadSettings(json);
        spec.Validate(files);
        return spec;
    }

    /// <summary>Reads a spec and checks what needs no data (<see cref="TrainingSpec.ValidateSettings"/>): the form a client can
    /// check before the data set is anywhere near it.</summary>
    public static TrainingSpec ReadSettings(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var spec = new TrainingSpec();
        foreach (var (key, node) in json)
        {
            if (!ByName.TryGetValue(key, out var field))
                throw UnknownOption(key);
            // Init-only setters are ordinary setters to reflection; the instance is ours until it is returned.
            field.Property.SetValue(spec, ReadValue(field, node));
        }
        spec.ValidateSettings();
        return spec;
    }

    /// <summary>A copy of <paramref name="spec"/> with one option set from JSON, its settings checked: how a sweep checks each
    /// of many listed values without re-reading the whole training block for every one.</summary>
    public static TrainingSpec WithOption(TrainingSpec spec, string name, JsonNode? node)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!ByName.TryGetValue(name, out var field))
            throw UnknownOption(name);
        var copy = spec with { };
        field.Property.SetValue(copy, ReadValue(field, node));
        copy.ValidateSettings();
        return copy;
    }

    private static SpecException UnknownOption(string name) =>
        new(name, "unknown option" + Spelling.Hint(name, Fields.Select(f => f.Name)) + " (known: " + string.Join(", ", Fields.Select(f => f.Name)) + ")");

    /// <summary>Reads a JSON text holding one object; malformed JSON is reported as a SpecException on field "$".</summary>
    public static TrainingSpec Parse(string json, DataFiles? files = null) => Parse(ObjectOf(json), files);

    /// <summary><see cref="ReadSettings(JsonObject)"/> of a JSON text: no data is read.</summary>
    public static TrainingSpec ReadSettings(string json) => ReadSettings(ObjectOf(json));

    private static JsonObject ObjectOf(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new SpecException("$", "not valid JSON: " + e.Message);
        }
        return node as JsonObject ?? throw new SpecException("$", "must be a JSON object");
    }

    /// <summary>Writes every field, optional ones as null when unset, so that the JSON form also lists every option.</summary>
    public static JsonObject ToJson(TrainingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var json = new JsonObject();
        foreach (var field in Fields)
        {
            json[field.Name] = field.Property.GetValue(spec) switch
            {
                null => null,
                string s => JsonValue.Create(s),
                int i => JsonValue.Create(i),
                double d => JsonValue.Create(d),
                int[] a => new JsonArray(a.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
                var other => throw new InvalidOperationException($"{field.Name}: no JSON form for {other.GetType()}"),
            };
        }
        return json;
    }

    /// <summary>
    /// The canonical text that tells whether a checkpoint belongs to a spec: only the keys that differ from the
    /// defaults, in key order, so that adding an option (with a default) in a later version leaves stored checkpoints valid.
    /// </summary>
    internal static string ToCanonicalString(TrainingSpec spec)
    {
        // Non-finite numbers cannot be written as JSON; a validated spec has none, but a fingerprint must not throw.
        var options = new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        var defaults = ToJson(new TrainingSpec());
        var changed = new List<string>();
        foreach (var (key, value) in ToJson(spec).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var text = value?.ToJsonString(options) ?? "null";
            if (text != (defaults[key]?.ToJsonString(options) ?? "null"))
                changed.Add($"\"{key}\":{text}");
        }
        return "{" + string.Join(",", changed) + "}";
    }

    private static object? ReadValue(Field field, JsonNode? node)
    {
        var type = field.Property.PropertyType;
        if (node is null)
        {
            return field.Nullable ? null : throw new SpecException(field.Name, "must not be null");
        }
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string))
        {
            return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new SpecException(field.Name, "must be a string");
        }
        if (target == typeof(double))
        {
            return ReadNumber(field.Name, node);
        }
        if (target == typeof(int))
        {
            return ReadInt(field.Name, node);
        }
        if (target == typeof(int[]))
        {
            if (node is not JsonArray array)
                throw new SpecException(field.Name, "must be an array of whole numbers");
            var result = new int[array.Count];
            for (var i = 0; i < array.Count; i++)
            {
                try
                {
                    result[i] = array[i] is null ? throw new SpecException(field.Name, "null") : ReadInt(field.Name, array[i]!);
                }
                catch (SpecException)
                {
                    throw new SpecException(field.Name, $"must be an array of whole numbers; item {i} is {Describe(array[i])}");
                }
            }
            return result;
        }
        throw new InvalidOperationException($"{field.Name}: no JSON reader for {type}");
    }

    // Non-finite numbers in a node built in code cannot be written as JSON text; say what they are instead.
    private static string Describe(JsonNode? node)
    {
        if (node is null) return "null";
        if (node is JsonValue v && v.TryGetValue<double>(out var d) && !double.IsFinite(d)) return d.ToString(CultureInfo.InvariantCulture);
        return node.ToJsonString();
    }

    private static int ReadInt(string name, JsonNode node)
    {
        var d = ReadNumber(name, node);
        return double.IsFinite(d) && Math.Floor(d) == d && d >= int.MinValue && d <= int.MaxValue
            ? (int)d
            : throw new SpecException(name, $"must be a whole number, not {d.ToString(CultureInfo.InvariantCulture)}");
    }

    // Nodes built in code hold CLR numbers (possibly NaN); parsed nodes hold JsonElements. Both are numbers here.
    private static double ReadNumber(string name, JsonNode node)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<double>(out var d)) return d;
            if (v.TryGetValue<float>(out var f)) return f;
            if (v.TryGetValue<int>(out var i)) return i;
            if (v.TryGetValue<long>(out var l)) return l;
            if (v.TryGetValue<decimal>(out var m)) return (double)m;
            if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number) return e.GetDouble();
        }
        throw new SpecException(name, "must be a number");
    }
}
