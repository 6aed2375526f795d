namespace ExperimentCluster.Contracts;

/// <summary>What the sweep hands a run: its full trainer settings as JSON and the swept values that define it.</summary>
[GenerateSerializer, Immutable, Alias("RunStart")]
public sealed record RunStart(
    [property: Id(0)] string SweepId,
    [property: Id(1)] int Number,
    [property: Id(2)] string SpecJson,
    [property: Id(3)] IReadOnlyDictionary<string, string> Config);
