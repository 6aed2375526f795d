using System.Text.Json;

namespace ExperimentCluster.Tuning;

/// <summary>The only place a rule name becomes a rule. Unknown names and unknown settings are errors. Divergence is not a
/// rule here: the trainer's guard handles it on every run.</summary>
public static class StoppingRuleCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["none", "median", "asha", "hyperband"];

    /// <summary>Creates the rule called <paramref name="name"/>; throws <see cref="TuningException"/> naming the rule
    /// (field <c>early_stopping</c>) or the setting (field <c>NAME.SETTING</c>) when either is unknown or out of range.</summary>
    public static IStoppingRule Create(string name, IReadOnlyDictionary<string, JsonElement>? settings = null)
    {
        var reader = new Settings(name ?? "", settings);
        IStoppingRule rule = name switch
        {
            "none" => new NoStoppingRule(),
            "median" => MedianStoppingRule.FromSettings(reader),
            "asha" => AshaRule.FromSettings(reader),
            "hyperband" => HyperbandRule.FromSettings(reader),
            _ => throw new TuningException("early_stopping", $"unknown early-stopping rule '{name}'{Spelling.Hint(name ?? "", Names)}; known rules: {string.Join(", ", Names)}"),
        };
        reader.RejectUnknown();
        return rule;
    }
}
