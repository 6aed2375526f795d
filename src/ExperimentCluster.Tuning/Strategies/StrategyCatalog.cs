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
            _ => throw new TuningException("strategy", $"unknown strategy '{name}'{OtherToolsName(name) ?? Spelling.Hint(name ?? "", Names)}; known strategies: {string.Join(", ", Names)}"),
        };
        reader.RejectUnknown();
        return strategy;
    }

    /// <summary>What another tool's name for a method is here: a W&amp;B user writes bayes, an Optuna user a sampler, and some
    /// name a stopping rule as the method.</summary>
    private static string? OtherToolsName(string? name) => name?.ToLowerInvariant() switch
    {
        "bayes" or "bayesian" or "bo" or "optuna" or "hyperopt" or "skopt" or "tpesampler" =>
            " (Bayesian optimisation is tpe here, Optuna's default sampler, or gp for small budgets)",
        "hyperband" or "asha" or "median" or "successive_halving" or "sha" =>
            $" ({name} is a stopping rule here: early_stopping: {{ rule: {(name == "successive_halving" || name == "sha" ? "asha" : name)} }} beside a strategy such as random or tpe)",
        "random_search" or "randomsearch" => " (did you mean 'random'?)",
        "grid_search" or "gridsearch" => " (did you mean 'grid'?)",
        _ => null,
    };
}
