using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>`/api/sweeps/{id}/runs/{n}`: the run, its trainer settings as a JSON object, and its epochs.</summary>
public sealed record RunDetailJson(
    RunView Run,
    [property: JsonConverter(typeof(JsonTextConverter))] string Settings,
    IReadOnlyList<EpochJson> Epochs,
    long? DivergedAtStep,
    IReadOnlyList<RunAttemptJson> EarlierAttempts)
{
    public static RunDetailJson From(RunDetail d) => new(d.Run, d.SpecJson, d.Metrics.Select(EpochJson.From).ToList(), d.DivergedAtStep,
        (d.EarlierAttempts ?? []).Select(RunAttemptJson.From).ToList());
}
