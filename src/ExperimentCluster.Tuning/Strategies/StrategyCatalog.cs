using System.Text.Json;

namespace ExperimentCluster.Tuning;

/// <summary>The only place a strategy name becomes a strategy. Unknown names and unknown settings are errors.</summary>
public static class StrategyCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["grid", "random", "tpe", "lr-decades", "lr-range", "gp"];

    /// <summary>Creates the strategy called <paramref name="name"/>; throws <see cref="TuningException"/> naming the strategy
    /// (field <c>strategy</c>) or the setting (field <c>NAME.SETTING</c>) when either is unknown or out of range.</summary>
    public static ISearchStrategy Create(string name, IReadOnlyDictionary<string, JsonElement>? settings = null)
    {
        var reader = new Settings(name ?? "", settings);
        ISearchStrategy strategy = name switch
        {
            "grid" => new GridSearch(),
            "random" => new RandomSearch(),
            "tpe" => TpeSearch.FromSettings(reader),
            "lr-decades" => LrDecadesSearch.FromSettings(reader),
            "lr-range" => LrRangeSearch.FromSettings(reader),
            "gp" => GpSearch.FromSettings(reader),
            _ => throw new TuningException("strategy", $"unknown strategy '{name}'{Spelling.Hint(name ?? "", Names)}; known strategies: {string.Join(", ", Names)}"),
        };
        reader.RejectUnknown();
        return strategy;
    }
}
