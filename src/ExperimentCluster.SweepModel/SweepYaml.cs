using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// Sweep files in YAML: the same schema as the JSON form, read into JSON before anything else sees it, so that every
/// check and every error path (`search.space.learning_rate.values[2]`) is the JSON one and a sweep is stored as JSON.
/// Plain scalars take YAML 1.2's core types (null, booleans, integers, decimals); quoted and block scalars are strings.
/// </summary>
public static class SweepYaml
{
    public static bool IsYamlPath(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>The JSON text of a YAML sweep file; a syntax error names its line and column.</summary>
    public static string ToJson(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new SweepException($"line {e.Start.Line}, column {e.Start.Column}", "not valid YAML: " + Reason(e));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet reports some malformed input this way, without a position (found by the property test of
            // the sweep files): an unclosed flow collection, an empty key after a sequence.
            throw new SweepException("$", "not valid YAML: " + e.Message);
        }
        if (stream.Documents.Count != 1)
            throw new SweepException("$", $"a sweep file is one YAML document, not {stream.Documents.Count}");
        return Convert(stream.Documents[0].RootNode, "")?.ToJsonString() ?? "null";
    }

    private static JsonNode? Convert(YamlNode node, string path) => node switch
    {
        YamlMappingNode map => Mapping(map, path),
        YamlSequenceNode list => new JsonArray(list.Children.Select((item, i) => Convert(item, $"{path}[{i}]")).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new SweepException(path.Length == 0 ? "$" : path, "an unsupported YAML node"),
    };

    private static JsonObject Mapping(YamlMappingNode map, string path)
    {
        var result = new JsonObject();
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
                throw new SweepException($"line {keyNode.Start.Line}, column {keyNode.Start.Column}", "a key must be a plain name");
            var at = path.Length == 0 ? key : $"{path}.{key}";
            if (result.ContainsKey(key))
                throw new SweepException(at, "given more than once");
            result[key] = Convert(value, at);
        }
        return result;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
            return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (text is "true" or "True" or "TRUE")
            return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE")
            return JsonValue.Create(false);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            return JsonValue.Create(whole);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return JsonValue.Create(number);
        // Anything else, .inf and .nan included, stays text: the sweep's checks then say what the field needs.
        return JsonValue.Create(text);
    }

    private static string Reason(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }
}
