namespace ExperimentCluster.SweepModel;

public sealed partial record SweepDefinition
{
    /// <summary>Which finished runs keep their last checkpoint (<c>keep_checkpoints</c>; default best).</summary>
    public KeepCheckpoints KeepCheckpoints { get; init; } = KeepCheckpoints.Best;
}
