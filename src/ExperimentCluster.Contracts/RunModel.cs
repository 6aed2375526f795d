namespace ExperimentCluster.Contracts;

/// <summary>
/// What a run keeps for its user (`excl model`, GET /api/sweeps/{id}/runs/{n}/model): a built-in run's network as a JSON
/// document (<see cref="RunModelKind.Network"/>), or the folder a command trial's program wrote its checkpoint to, as a
/// gzip-compressed tar (<see cref="RunModelKind.Folder"/>); <see cref="Epoch"/> is the epoch it was taken after. With
/// <see cref="RunModelKind.None"/>, <see cref="Problem"/> says why the run has none.
/// </summary>
[GenerateSerializer, Immutable, Alias("RunModel")]
public sealed record RunModel(
    [property: Id(0)] RunModelKind Kind,
    [property: Id(1)] int Epoch,
    [property: Id(2)] byte[] Content,
    [property: Id(3)] string? Problem,
    // None because the run's data files could not be read where it was asked (a built-in model's scaling is fitted on them).
    [property: Id(4)] bool NeedsData = false)
{
    public static RunModel Refused(string problem, bool needsData = false) => new(RunModelKind.None, 0, [], problem, needsData);
}

[GenerateSerializer, Alias("RunModelKind")]
public enum RunModelKind
{
    None,
    Network,
    Folder,
}
