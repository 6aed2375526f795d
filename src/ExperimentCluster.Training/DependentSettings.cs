namespace ExperimentCluster.Training;

/// <summary>
/// Settings that only some choices read: momentum only the momentum and nesterov optimizers, gamma only the step and
/// exponential schedules, huber_delta only the huber loss. A sweep over such a setting where no choice it can make reads
/// it trains the same run again and again (momentum swept under the default sgd), so the sweep is refused instead.
/// </summary>
public static class DependentSettings
{
    private static readonly Dictionary<string, (string Choice, string[] ReadBy)> Readers = new(StringComparer.Ordinal)
    {
        ["momentum"] = ("optimizer", ["momentum", "nesterov"]),
        ["beta1"] = ("optimizer", ["adam", "adamw"]),
        ["beta2"] = ("optimizer", ["adam", "adamw"]),
        ["epsilon"] = ("optimizer", ["adam", "adamw"]),
        ["step_epochs"] = ("schedule", ["step"]),
        ["gamma"] = ("schedule", ["step", "exponential"]),
        ["min_learning_rate"] = ("schedule", ["cosine"]),
        ["pct_start"] = ("schedule", ["one_cycle"]),
        ["div_factor"] = ("schedule", ["one_cycle"]),
        ["final_div_factor"] = ("schedule", ["one_cycle"]),
        ["leaky_slope"] = ("activation", ["leaky_relu"]),
        ["elu_alpha"] = ("activation", ["elu"]),
        ["huber_delta"] = ("loss", ["huber"]),
    };

    /// <summary>The choice that decides whether <paramref name="setting"/> is read, and the choice's values that read it; null
    /// for a setting every run reads.</summary>
    public static (string Choice, IReadOnlyList<string> ReadBy)? Reader(string setting) =>
        Readers.TryGetValue(setting, out var reader) ? (reader.Choice, reader.ReadBy) : null;

    /// <summary>Why sweeping <paramref name="setting"/> changes nothing, or null: some choice the sweep can make reads it,
    /// or every choice does. <paramref name="choicesOf"/> gives the values a choice (optimizer, schedule, ...) can take in
    /// the sweep: its listed values when it is swept too, else its one value.</summary>
    public static string? Unread(string setting, Func<string, IReadOnlyCollection<string>> choicesOf)
    {
        ArgumentNullException.ThrowIfNull(choicesOf);
        if (!Readers.TryGetValue(setting, out var readers))
            return null;
        var choices = choicesOf(readers.Choice);
        if (choices.Any(c => readers.ReadBy.Contains(c, StringComparer.Ordinal)))
            return null;
        var readBy = string.Join(" or ", readers.ReadBy);
        var what = choices.Count == 1
            ? $"the {readers.Choice} here is {choices.First()}, which does not read {setting}"
            : $"no {readers.Choice} this sweep tries ({string.Join(", ", choices)}) reads {setting}";
        return $"{what}: every value would train the same run; {setting} is read by {readers.Choice} {readBy} (set training.{readers.Choice}, or sweep it too)";
    }
}
