namespace ExperimentCluster.Contracts;

/// <summary>
/// A piece of a run's kept output. Offsets count every character the run ever printed: <see cref="Start"/> above the
/// asked offset means older text was dropped (the log keeps the newest part); ask again from <see cref="Next"/> to follow.
/// <see cref="Finished"/>: the run has ended, nothing more will come.
/// </summary>
[GenerateSerializer, Immutable, Alias("RunLog")]
public sealed record RunLog(
    [property: Id(0)] string Text,
    [property: Id(1)] long Start,
    [property: Id(2)] long Next,
    [property: Id(3)] bool Finished);
