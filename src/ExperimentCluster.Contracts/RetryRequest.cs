namespace ExperimentCluster.Contracts;

/// <summary>Which finished runs to train again from scratch: every failed one, every diverged one, and those numbered.
/// The body of `POST /api/sweeps/{id}/retry` ({"failed": true, "diverged": false, "runs": [3, 7]}).</summary>
[GenerateSerializer, Immutable, Alias("RetryRequest")]
public sealed record RetryRequest(
    [property: Id(0)] bool Failed = false,
    [property: Id(1)] bool Diverged = false,
    [property: Id(2)] IReadOnlyList<int>? Runs = null);
