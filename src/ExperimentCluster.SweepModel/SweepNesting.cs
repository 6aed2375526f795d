using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// Refuses a sweep file nested deeper than <see cref="SweepLimits.MaxDepth"/> before anything builds its tree: readers
/// that build trees recurse, and a file of ten thousand brackets would overflow the stack of the process (the CLI, a
/// silo), which no handler can catch. Both scans read tokens in a loop, without recursion, and name the path where the
/// limit is passed.
/// </summary>
public static class SweepNesting
{
    public static void CheckJson(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            // The scan itself keeps one bit per level; the limit is applied below, with a path.
            MaxDepth = int.MaxValue,
        });
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[^1].Key = reader.GetString();
                        frames[^1].ExpectKey = false;
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Enter(frames, reader.TokenType == JsonTokenType.StartArray);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    default:
                        Value(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // A syntax error: the parser that follows reports it with its line and column.
        }
    }

    public static void CheckYaml(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var frames = new List<Frame>();
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case MappingStart or SequenceStart:
                        Enter(frames, parser.Current is SequenceStart);
                        break;
                    case MappingEnd or SequenceEnd:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case Scalar scalar when frames.Count > 0 && !frames[^1].Array && frames[^1].ExpectKey:
                        frames[^1].Key = scalar.Value;
                        frames[^1].ExpectKey = false;
                        break;
                    case Scalar or AnchorAlias:
                        Value(frames);
                        break;
                }
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            // A syntax error: the loader that follows reports it with its line and column.
        }
    }

    /// <summary>The path of a node at <paramref name="frames"/>' current slots: search.space.layers.values[0][0].</summary>
    private static string PathOf(IEnumerable<string?> keysAndIndexes)
    {
        var path = new StringBuilder();
        foreach (var part in keysAndIndexes)
        {
            if (part is null)
                continue;
            if (part.StartsWith('['))
                path.Append(part);
            else
                path.Append(path.Length == 0 ? "" : ".").Append(part);
        }
        return path.Length == 0 ? "$" : path.ToString();
    }

    private static void Enter(List<Frame> frames, bool array)
    {
        Value(frames);
        if (frames.Count >= SweepLimits.MaxDepth)
        {
            throw new SweepException(PathOf(frames.Select(f => f.Part)),
                string.Create(CultureInfo.InvariantCulture, $"nested more than {SweepLimits.MaxDepth} levels deep (objects and lists inside one another)"));
        }
        frames.Add(new Frame(array));
    }

    /// <summary>A value takes the current slot of its container: the next index of a list, the value of a mapping's key.</summary>
    private static void Value(List<Frame> frames)
    {
        if (frames.Count == 0)
            return;
        var top = frames[^1];
        if (top.Array)
            top.Index++;
        else if (top.ExpectKey)
            (top.Key, top.ExpectKey) = ("?", false); // a complex key: the loader refuses it; the path only needs a place
        else
            top.ExpectKey = true;
    }

    private sealed class Frame(bool array)
    {
        public bool Array { get; } = array;

        public int Index { get; set; } = -1;

        public string? Key { get; set; }

        public bool ExpectKey { get; set; } = true;

        public string? Part => Array ? (Index < 0 ? null : string.Create(CultureInfo.InvariantCulture, $"[{Index}]")) : Key;
    }
}
