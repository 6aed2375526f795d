using System.Text;
using System.Text.Json;

namespace ExperimentCluster.CommandTrials;

/// <summary>One report line of a trial: its epoch (or step), its metrics, and whether the checkpoint folder now holds that epoch.</summary>
public sealed record TrialReport(int Epoch, IReadOnlyDictionary<string, double> Metrics, bool Checkpoint);

/// <summary>
/// Tells report lines from log lines (examples/trial-protocol.md): a report is one JSON object with a whole-number
/// `epoch` or `step`. Non-finite numbers come as Python's json writes them (bare NaN, Infinity, -Infinity), quoted, or as
/// null; all of them read as NaN or an infinity, which the divergence guard then sees.
/// </summary>
public static class TrialReportParser
{
    public static IReadOnlySet<string> ReservedKeys { get; } = new HashSet<string>(["epoch", "step", "checkpoint"], StringComparer.Ordinal);

    /// <summary>The longest line read as a report; anything longer is log.</summary>
    public const int MaxReportChars = 64 * 1024;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 4 };

    /// <summary>The report on <paramref name="line"/>, or null for a log line. A line that looks like a report but breaks a
    /// rule (an epoch of 0, a metric that is a string) throws <see cref="FormatException"/> with the reason.</summary>
    public static TrialReport? Parse(string line)
    {
        var text = line.AsSpan().Trim();
        if (text.Length < 2 || text[0] != '{' || text[^1] != '}' || text.Length > MaxReportChars)
            return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(QuoteNonFinite(text), Options);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            var hasEpoch = root.TryGetProperty("epoch", out var epochNode);
            if (!hasEpoch && !root.TryGetProperty("step", out epochNode))
                return null;
            if (epochNode.ValueKind != JsonValueKind.Number || !epochNode.TryGetInt32(out var epoch) || epoch < 1)
                throw new FormatException($"\"{(hasEpoch ? "epoch" : "step")}\" must be a whole number from 1, got {epochNode.GetRawText()}");
            var checkpoint = false;
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "epoch" or "step":
                        continue;
                    case "checkpoint":
                        checkpoint = property.Value.ValueKind switch
                        {
                            JsonValueKind.True => true,
                            JsonValueKind.False or JsonValueKind.Null => false,
                            _ => throw new FormatException("\"checkpoint\" must be true or false"),
                        };
                        continue;
                }
                metrics[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.Number => property.Value.GetDouble(),
                    JsonValueKind.Null => double.NaN,
                    JsonValueKind.String => NonFinite(property.Value.GetString()) ?? throw new FormatException($"metric \"{property.Name}\" must be a number, got {property.Value.GetRawText()}"),
                    _ => throw new FormatException($"metric \"{property.Name}\" must be a number, got {property.Value.ValueKind.ToString().ToLowerInvariant()}"),
                };
            }
            return new TrialReport(epoch, metrics, checkpoint);
        }
    }

    private static double? NonFinite(string? text) => text switch
    {
        "NaN" or "nan" => double.NaN,
        "Infinity" or "inf" => double.PositiveInfinity,
        "-Infinity" or "-inf" => double.NegativeInfinity,
        _ => null,
    };

    /// <summary>Bare NaN / Infinity / -Infinity outside strings become quoted, which standard JSON can read.</summary>
    private static string QuoteNonFinite(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAny('N', 'I') < 0)
            return text.ToString();
        var result = new StringBuilder(text.Length + 8);
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                result.Append(c);
                if (c == '\\' && i + 1 < text.Length)
                    result.Append(text[++i]);
                else if (c == '"')
                    inString = false;
                continue;
            }
            if (c == '"')
            {
                inString = true;
                result.Append(c);
                continue;
            }
            var word = text[i..] switch
            {
                var rest when rest.StartsWith("-Infinity") => "-Infinity",
                var rest when rest.StartsWith("Infinity") => "Infinity",
                var rest when rest.StartsWith("NaN") => "NaN",
                _ => null,
            };
            if (word is null)
            {
                result.Append(c);
                continue;
            }
            result.Append('"').Append(word).Append('"');
            i += word.Length - 1;
        }
        return result.ToString();
    }
}
