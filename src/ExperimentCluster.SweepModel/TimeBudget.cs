using System.Globalization;
using System.Text.Json.Nodes;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// The sweep file's <c>time_budget</c>: how long the sweep may spend training, as a number with its unit (<c>"45s"</c>,
/// <c>"90m"</c>, <c>"1.5h"</c>, <c>"2d"</c>). Once the sweep has been running that long (time paused, or with the cluster
/// down, does not count), it starts no new run; the runs training then finish. As Optuna's <c>optimize(timeout=...)</c>
/// does, and unlike a budget that kills runs at the deadline: a run cut off would be a run lost.
/// </summary>
public static class TimeBudget
{
    public const string Key = "time_budget";

    /// <summary>The longest budget taken: a year, so that its seconds stay exact in a double and a typo of units shows.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(365);

    private const string Expected = "a duration with its unit: \"45s\", \"90m\", \"1.5h\" or \"2d\"";

    public static TimeSpan? Parse(JsonNode? node)
    {
        if (node is null)
            return null;
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
            throw new SweepException(Key, $"must be {Expected}" + (node is JsonValue ? " (a bare number has no unit)" : ""));
        var unit = text.Length > 0 ? text[^1] : ' ';
        var scale = unit switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, 'd' => 86400.0, _ => 0 };
        if (scale == 0 || !double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            throw new SweepException(Key, $"'{text}' is not {Expected}");
        var seconds = amount * scale;
        if (!(seconds >= 1) || seconds > Longest.TotalSeconds)
            throw new SweepException(Key, $"'{text}' is outside 1 second to 365 days");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Time used, to the second under a minute and to the minute above ("45s", "3m 20s", "1h 12m").</summary>
    public static string Used(double seconds)
    {
        var s = (long)Math.Floor(Math.Max(0, seconds));
        return s < 60 ? $"{s}s" : s < 3600 ? $"{s / 60}m {s % 60}s" : $"{s / 3600}h {s % 3600 / 60}m";
    }

    /// <summary>A budget as the sweep file writes it, in its largest whole unit ("2h", "90m", "45s").</summary>
    public static string Text(TimeSpan budget)
    {
        var seconds = (long)Math.Round(budget.TotalSeconds);
        return seconds % 86400 == 0 ? $"{seconds / 86400}d"
            : seconds % 3600 == 0 ? $"{seconds / 3600}h"
            : seconds % 60 == 0 ? $"{seconds / 60}m"
            : $"{seconds}s";
    }
}
