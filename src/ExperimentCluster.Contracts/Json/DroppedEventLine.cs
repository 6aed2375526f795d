using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>A follower polled too slowly: this many events fell out of the sweep's live buffer before it read them.</summary>
public sealed record DroppedEventLine(long Events)
{
    [JsonPropertyOrder(-1)]
    public string Event => "dropped";
}
