using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// A sweep file's JSON (comments allowed) written as YAML that <see cref="SweepYaml"/> reads back to the same JSON: for
/// `excl init NAME --out FILE.yaml`, which wrote the JSON with its `//` comments into the .yaml file, and the run of that
/// file failed with "// Seconds on a laptop: unknown key". Whole-line comments come first as `#` lines; short objects
/// and lists of plain values are written in flow style, as the examples' YAML is.
/// </summary>
public static partial class SweepYamlWriter
{
    /// <summary>The text of a sweep file written to <paramref name="path"/>: YAML when its name says so (excl reads a file
    /// by its name), else the JSON as it is.</summary>
    public static string ForPath(string path, string json) => SweepYaml.IsYamlPath(path) ? FromJson(json) : json;

    public static string FromJson(string json)
    {
        var comments = json.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("//", StringComparison.Ordinal))
            .Select(l => "# " + l[2..].Trim());
        var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(Yaml(root))).Save(writer, assignAnchors: false);
        // The stream closes its one document with "...": noise in a file a person edits.
        var body = writer.ToString().TrimEnd();
        body = body.EndsWith("...", StringComparison.Ordinal) ? body[..^3].TrimEnd() : body;
        return string.Concat(comments.Select(c => c + "\n")) + body + "\n";
    }

    private static YamlNode Yaml(JsonNode? node) => node switch
    {
        JsonObject o => new YamlMappingNode(o.Select(kv => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(kv.Key), Yaml(kv.Value))))
        {
            Style = o.Count <= 3 && o.All(kv => SweepFileText.OnOneLine(kv.Value)) ? MappingStyle.Flow : MappingStyle.Block,
        },
        JsonArray a => new YamlSequenceNode(a.Select(Yaml)) { Style = SweepFileText.OnOneLine(a) ? SequenceStyle.Flow : SequenceStyle.Block },
        JsonValue v => Scalar(v),
        _ => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
    };

    private static YamlScalarNode Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String when value.GetValue<string>() is var text =>
            new YamlScalarNode(text) { Style = PlainWord().IsMatch(text) && SweepYaml.ReadsAsText(text) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted },
        _ => new YamlScalarNode(value.ToJsonString()) { Style = ScalarStyle.Plain },
    };

    /// <summary>A word YAML reads as itself anywhere, a flow list included: letters, digits, `_`, `-`, `.`, `/`.</summary>
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_./-]*$")]
    private static partial Regex PlainWord();
}
