namespace ExperimentCluster.SweepModel;

public sealed partial record SweepDefinition
{
    /// <summary>Which finished runs keep their last checkpoint (<c>keep_checkpoints</c>; default best).</summary>
    public KeepCheckpoints KeepCheckpoints { get; init; } = KeepCheckpoints.Best;

    /// <summary>How long the sweep may spend training before it starts no new run (<see cref="TimeBudget"/>); null: no limit.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Whether each seed draws its own validation rows (<see cref="SweepModel.SplitPerSeed"/>; default false).</summary>
    public bool SplitPerSeed { get; init; }

    /// <summary>K-fold cross-validation over the seeds (<see cref="CrossValidation"/>); null: one split.</summary>
    public int? Folds { get; init; }

    /// <summary>A run's replicate seed, from its configuration (null when it has none, or not a whole number).</summary>
    public static int? SeedOf(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.TryGetValue(SeedKey, out var text) && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seed)
            ? seed : null;
    }
}
