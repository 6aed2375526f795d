namespace ExperimentCluster.Contracts.Json;

/// <summary>
/// `/api/sweeps/{id}/runs/{n}/log`: a piece of the run's kept output. `start` above the asked `from` means older text was
/// dropped; ask again from `next` to follow; `finished`: the run has ended and nothing more will come.
/// </summary>
public sealed record RunLogJson(string Text, long Start, long Next, bool Finished)
{
    public static RunLogJson From(RunLog log) => new(log.Text, log.Start, log.Next, log.Finished);
}
