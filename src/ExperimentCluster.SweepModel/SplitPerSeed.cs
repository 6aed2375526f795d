using System.Text.Json.Nodes;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// The sweep file's <c>split_per_seed: true</c>: each replicate seed also draws its own validation rows (the run's
/// <c>data_seed</c> is its seed), so that the spread over seeds, and the answer's mean, take in which rows happened to
/// validate, not only the initial weights: repeated random splits, the cheap form of cross-validation, for data sets small
/// enough that one split's rows decide the ranking. Runs of one seed still share their rows, so configurations are
/// compared on the same rows seed by seed.
/// </summary>
public static class SplitPerSeed
{
    public const string Key = "split_per_seed";

    private const string DataSeed = "data_seed";

    /// <summary>Why a command sweep cannot have the sweep choose its validation rows.</summary>
    internal const string CommandSplitsItsOwnData = "a command trial's program splits its own data: give it the run's seed ({seed} in command.run, or seed in EXCL_PARAMS)";

    /// <summary>Reads the setting (default false) and refuses it where it has no meaning or would be overruled.</summary>
    public static bool Parse(JsonObject top, JsonObject training, SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(top);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(space);
        var on = top[Key] switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => throw new SweepException(Key, "must be true or false"),
        };
        if (!on)
            return false;
        if (top.ContainsKey("command"))
            throw new SweepException(Key, CommandSplitsItsOwnData + " and let it draw its rows from that");
        if (training.ContainsKey("split_file"))
            throw new SweepException(Key, "training.split_file fixes the validation rows; leave one of the two out");
        if (training.ContainsKey(DataSeed))
            throw new SweepException(Key, $"training.{DataSeed} fixes the split; with {Key} each run's {DataSeed} is its seed, so leave it out");
        if (space.Find(DataSeed) is not null)
            throw new SweepException(Key, $"search.space.{DataSeed} is swept; with {Key} each run's {DataSeed} is its seed, so leave one of the two out");
        return true;
    }

    /// <summary>A run's trainer settings with its seed as its data_seed. Written only where it differs from the trainer's
    /// default, as a training block leaves a default out: a seed that draws the default split then trains the very run a
    /// sweep without the setting trains, and a warm start can take it (its trial is compared as JSON).</summary>
    public static void Apply(JsonObject spec, IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(config);
        if (SweepDefinition.SeedOf(config) is { } seed && seed != DefaultDataSeed)
            spec[DataSeed] = seed;
    }

    private static readonly int DefaultDataSeed = new Training.TrainingSpec().DataSeed;
}
