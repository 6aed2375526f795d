namespace ExperimentCluster.Training.Data;

/// <summary>
/// A data set as loaded: features row-major in one array (no per-row objects), then either class labels or
/// regression targets. Shared read-only between runs through <see cref="DatasetCache"/>: never mutate.
/// </summary>
internal sealed record RawDataset(
    string Description,
    string[] FeatureNames,
    double[] Features,
    int Rows,
    int Columns,
    bool Classification,
    int[] Labels,
    double[] Targets,
    int Classes)
{
    /// <summary>The classes' names when the data named them (a CSV's class column of text), label i being name i; null when
    /// the labels are the ids themselves.</summary>
    public string[]? ClassNames { get; init; }

    /// <summary>A CSV's category columns (text alone) and their values, each value one 0/1 feature named column=value in
    /// <see cref="FeatureNames"/>; null when every feature column holds numbers.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Categories { get; init; }
}
