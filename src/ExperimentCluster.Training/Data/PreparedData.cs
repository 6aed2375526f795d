namespace ExperimentCluster.Training.Data;

/// <summary>
/// The split, scaled data a run trains on, in the run's number type: contiguous row-major features, then labels
/// (classification) or targets (regression), with what was fitted to prepare them (an exported model needs it: TrainedModel). One instance per distinct set of data options, shared read-only by every run.
/// </summary>
internal sealed record PreparedData<T>(
    int Features,
    bool Classification,
    int Classes,
    int TrainRows,
    T[] TrainX,
    int[] TrainLabels,
    T[] TrainTargets,
    int ValRows,
    T[] ValX,
    int[] ValLabels,
    T[] ValTargets,
    string[] FeatureNames,
    FeatureScaler Scaler,
    double TargetShift,
    double TargetScale)
{
    /// <summary>The classes' names, output i being name i (<see cref="RawDataset.ClassNames"/>); null for numbered classes.</summary>
    public string[]? ClassNames { get; init; }

    /// <summary>The category columns the features expand (<see cref="RawDataset.Categories"/>); null when there are none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Categories { get; init; }

    /// <summary>Network outputs: one per class, or one regression output.</summary>
    public int Outputs => Classification ? Classes : 1;
}
