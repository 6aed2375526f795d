namespace ExperimentCluster.Contracts;

/// <summary>What the sweep hands a run: its full trainer settings as JSON, the swept values that define it, and for a
/// measurement run its kind (null: a training run) and the kind's settings; the attempt (1, then one more per retry).</summary>
[GenerateSerializer, Immutable, Alias("RunStart")]
public sealed record RunStart(
    [property: Id(0)] string SweepId,
    [property: Id(1)] int Number,
    [property: Id(2)] string SpecJson,
    [property: Id(3)] IReadOnlyDictionary<string, string> Config,
    [property: Id(4)] string? Kind = null,
    [property: Id(5)] IReadOnlyDictionary<string, double>? KindSettings = null,
    [property: Id(6)] int Attempt = 1);
