namespace ExperimentCluster.Grains;

/// <summary>The stored part of a run's output (a state of its own, so a run's epoch writes do not carry its log).</summary>
public sealed class RunLogState
{
    public string Text { get; set; } = "";

    public long Start { get; set; }
}
