using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>A diverged run in a sweep's summary: its hyperparameters and the epoch where it diverged.</summary>
public sealed record DivergedRunJson(
    int Run,
    [property: JsonConverter(typeof(JsonTextMapConverter))] IReadOnlyDictionary<string, string> Hyperparameters,
    int? Epoch);
