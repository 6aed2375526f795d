using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>A run reported an epoch: `{"event":"epoch","run":N, ...the epoch object}`, one line while a sweep is followed.</summary>
public sealed record EpochEventLine : EpochJson
{
    public EpochEventLine(int run, EpochRecord epoch) : base(From(epoch)) => Run = run;

    [JsonPropertyOrder(-1)]
    public string Event => "epoch";

    [JsonPropertyOrder(-1)]
    public int Run { get; init; }
}
