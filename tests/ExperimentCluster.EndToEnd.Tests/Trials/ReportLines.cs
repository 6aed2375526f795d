using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ExperimentCluster.EndToEnd.Tests.Trials;

/// <summary>One report line of a trial program, as printed (<see cref="Line"/>) and as read.</summary>
public sealed record TrialReport(string Line, int Epoch, IReadOnlyDictionary<string, JsonElement> Values)
{
    public bool Checkpoint => Values.TryGetValue("checkpoint", out var c) && c.ValueKind == JsonValueKind.True;

    /// <summary>The metric as a double; NaN and the infinities from their bare tokens.</summary>
    public double Metric(string name)
    {
        Assert.True(Values.TryGetValue(name, out var value), $"report of epoch {Epoch} has no {name}: {Line}");
        return value.ValueKind == JsonValueKind.String
            ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
            : value.GetDouble();
    }
}

/// <summary>Reads report lines the way the protocol allows them to be written: JSON plus bare NaN/Infinity/-Infinity.</summary>
public static partial class ReportLines
{
    /// <summary>Every line must be a report (the examples log to standard error only).</summary>
    public static List<TrialReport> Parse(IEnumerable<string> stdout) => stdout.Select(ParseLine).ToList();

    public static TrialReport ParseLine(string line)
    {
        // Quote the bare tokens so that a standard JSON reader takes the line; Metric() turns them back into doubles.
        using var document = JsonDocument.Parse(BareToken().Replace(line, "\"$1\""));
        var values = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
        Assert.True(values.TryGetValue("epoch", out var epoch) && epoch.ValueKind == JsonValueKind.Number, $"a report without a whole epoch: {line}");
        return new TrialReport(line, epoch.GetInt32(), values);
    }

    [GeneratedRegex(@"(?<=:\s*)(NaN|-?Infinity)(?=\s*[,}])")]
    private static partial Regex BareToken();
}
