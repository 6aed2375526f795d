using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>A run finished (completed, stopped, diverged, failed or cancelled), and why.</summary>
public sealed record RunEventLine(int Run, RunStatus Status, string? Reason)
{
    [JsonPropertyOrder(-1)]
    public string Event => "run";
}
