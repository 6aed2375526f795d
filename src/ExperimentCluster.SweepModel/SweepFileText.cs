using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// A sweep file written for people to read (`excl refine`): objects indented a key per line, as System.Text.Json
/// indents them, but a list of numbers or words, or of such lists, on one line (`"values": [0.05623, 0.1, 0.1778]`,
/// `"layers": { "values": [[32, 32], [64]] }`), as the examples write them. Indented JSON put every element on a line of
/// its own: a five-rate grid was seven lines, and one layer list five.
/// </summary>
public static class SweepFileText
{
    private static readonly JsonSerializerOptions Scalars = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text, 0);
        return text.Append(Environment.NewLine).ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text, int depth)
    {
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in o)
                {
                    text.Append(first ? "" : ",").Append(Environment.NewLine).Append(' ', 2 * (depth + 1))
                        .Append(JsonSerializer.Serialize(key, Scalars)).Append(": ");
                    Write(value, text, depth + 1);
                    first = false;
                }
                text.Append(Environment.NewLine).Append(' ', 2 * depth).Append('}');
                break;
            case JsonArray a when a.Count > 0 && !OnOneLine(a):
                text.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",").Append(Environment.NewLine).Append(' ', 2 * (depth + 1));
                    Write(a[i], text, depth + 1);
                }
                text.Append(Environment.NewLine).Append(' ', 2 * depth).Append(']');
                break;
            default:
                text.Append(Compact(node));
                break;
        }
    }

    /// <summary>A value written on one line in a sweep file (here and in YAML, <see cref="SweepYamlWriter"/>): a scalar,
    /// an empty object, or a list of scalars or of lists of scalars (layers' [[16], [32, 32]]).</summary>
    internal static bool OnOneLine(JsonNode? node) => node switch
    {
        JsonObject o => o.Count == 0,
        JsonArray a => a.All(Inline),
        _ => true,
    };

    /// <summary>A scalar, an empty container, or a list of scalars.</summary>
    private static bool Inline(JsonNode? node) => node switch
    {
        JsonObject o => o.Count == 0,
        JsonArray a => a.All(e => e is not JsonObject and not JsonArray),
        _ => true,
    };

    private static string Compact(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray a => "[" + string.Join(", ", a.Select(Compact)) + "]",
        _ => node.ToJsonString(Scalars),
    };
}
