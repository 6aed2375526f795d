using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>A measurement run in a sweep's summary (a learning-rate range test): what it measured and what it suggested.</summary>
public sealed record RangeTestJson(
    int Run,
    string Kind,
    [property: JsonConverter(typeof(JsonTextMapConverter))] IReadOnlyDictionary<string, string> Hyperparameters,
    RunStatus Status,
    double? SuggestedRate,
    string? Reason);
