namespace ExperimentCluster.Contracts;

/// <summary>
/// A sweep's edits: every change in order, the training runs whose configuration lies outside the current space (started
/// before an edit narrowed it: they stay in the history, marked), and the sweep file as it stands now.
/// </summary>
[GenerateSerializer, Immutable, Alias("SweepEditLog")]
public sealed record SweepEditLog(
    [property: Id(0)] IReadOnlyList<SweepEditEvent> Events,
    [property: Id(1)] IReadOnlyList<int> OutsideRuns,
    [property: Id(2)] string SpecJson)
{
    /// <summary>How show, the page and the API mark a run of <see cref="OutsideRuns"/>.</summary>
    public const string OutsideMark = "outside the current space";
}
