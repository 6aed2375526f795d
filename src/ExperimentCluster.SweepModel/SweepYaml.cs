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
        SweepNesting.CheckYaml(yaml);
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
        var budget = new NodeBudget();
        return Convert(stream.Documents[0].RootNode, "", 1, budget)?.ToJsonString() ?? "null";
    }

    private static JsonNode? Convert(YamlNode node, string path, int depth, NodeBudget budget)
    {
        // Aliases are expanded here: a few lines of anchors can stand for billions of values, or (an alias inside its own
        // anchor) for an endless tree, so the expansion has the file's own depth limit and a size limit.
        if (depth > SweepLimits.MaxDepth)
            throw new SweepException(path.Length == 0 ? "$" : path, $"nested more than {SweepLimits.MaxDepth} levels deep (aliases included)");
        if (++budget.Nodes > NodeBudget.MaxNodes)
            throw new SweepException(path.Length == 0 ? "$" : path, $"the file expands (through aliases) to more than {NodeBudget.MaxNodes} values");
        return node switch
        {
            YamlMappingNode map => Mapping(map, path, depth, budget),
            YamlSequenceNode list => new JsonArray(list.Children.Select((item, i) => Convert(item, $"{path}[{i}]", depth + 1, budget)).ToArray()),
            YamlScalarNode scalar => Scalar(scalar),
            _ => throw new SweepException(path.Length == 0 ? "$" : path, "an unsupported YAML node"),
        };
    }

    private static JsonObject Mapping(YamlMappingNode map, string path, int depth, NodeBudget budget)
    {
        var result = new JsonObject();
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
                throw new SweepException($"line {keyNode.Start.Line}, column {keyNode.Start.Column}", "a key must be a plain name");
            var at = path.Length == 0 ? key : $"{path}.{key}";
            if (result.ContainsKey(key))
                throw new SweepException(at, "given more than once");
            result[key] = Convert(value, at, depth + 1, budget);
        }
        return result;
    }

    /// <summary>Whether a plain scalar with this text reads as the string itself (not null, a boolean or a number).</summary>
    public static bool ReadsAsText(string text) => Scalar(new YamlScalarNode(text) { Style = ScalarStyle.Plain }) is JsonValue v
        && v.GetValueKind() == System.Text.Json.JsonValueKind.String;

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

    private sealed class NodeBudget
    {
        /// <summary>Four times the 200,000 listed values a large grid may hold; a tree this size is still a few hundred MB at most.</summary>
        public const int MaxNodes = 1_000_000;

        public int Nodes { get; set; }
    }

    private static string Reason(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }
}
