using System.Text.Json.Nodes;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// The sweep file's <c>folds: K</c>: K-fold cross-validation with the seeds as the folds. The rows (shuffled by the
/// training block's data_seed) are cut into K folds; the run of the sweep's i-th seed validates on fold i mod K, so K
/// seeds (the default with folds) validate on every row exactly once and the answer's mean over the seeds is the
/// cross-validated loss, as scikit-learn's <c>GridSearchCV(cv=K)</c> scores a configuration. More seeds, a multiple of K,
/// repeat each fold with other initial weights.
/// </summary>
public static class CrossValidation
{
    public const string Key = "folds";

    /// <summary>Reads K (null: no cross-validation) and refuses it where it has no meaning or would be overruled.</summary>
    public static int? Parse(JsonObject top, JsonObject training, SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(top);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(space);
        if (top[Key] is not { } node)
            return null;
        if (node is not JsonValue value || !value.TryGetValue<int>(out var folds) || folds is < 2 or > 100)
            throw new SweepException(Key, "must be a whole number from 2 to 100: the folds the rows are cut into, one per seed");
        if (top.ContainsKey("command"))
            throw new SweepException(Key, SplitPerSeed.CommandSplitsItsOwnData + " and let it choose its fold from that");
        if (top[SplitPerSeed.Key] is JsonValue split && split.TryGetValue<bool>(out var perSeed) && perSeed)
            throw new SweepException(Key, $"{SplitPerSeed.Key} draws a split per seed, folds cut one shuffle into parts; choose one");
        foreach (var fixes in new[] { "split_file", "validation_fraction", "folds", "fold" })
        {
            if (training.ContainsKey(fixes) || space.Find(fixes) is not null)
                throw new SweepException(Key, $"{(training.ContainsKey(fixes) ? "training" : "search.space")}.{fixes} sets the validation rows; with {Key} each run validates on its seed's fold, so leave it out");
        }
        if (space.Find("data_seed") is not null)
            throw new SweepException(Key, "search.space.data_seed is swept; with folds the folds are the parts of one shuffle (data_seed in the training block chooses it)");
        return folds;
    }

    /// <summary>The seeds: K (0 to K-1) when the file gives none; otherwise each fold must take as many as the others.</summary>
    public static List<int> Seeds(List<int> seeds, bool given, int folds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        if (!given)
            return [.. Enumerable.Range(0, folds)];
        if (seeds.Count % folds != 0)
            throw new SweepException("seeds", $"with {Key}: {folds}, each fold validates as many runs as the others: give {folds}, {2 * folds}, ... seeds, not {seeds.Count} (the i-th seed validates on fold i mod {folds})");
        return seeds;
    }

    /// <summary>A run's trainer settings with its fold: its seed's place in the sweep's seeds, modulo K.</summary>
    public static void Apply(JsonObject spec, IReadOnlyDictionary<string, string> config, IReadOnlyList<int> seeds, int folds)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(seeds);
        var index = SweepDefinition.SeedOf(config) is { } seed ? Math.Max(0, seeds.ToList().IndexOf(seed)) : 0;
        spec[Key] = folds;
        spec["fold"] = index % folds;
    }
}
