namespace ExperimentCluster.SweepModel;

public sealed partial record SweepDefinition
{
    /// <summary>The sweeps named in <c>warm_start.sweeps</c>, in order; empty without a warm start (see <see cref="SweepWarmStart"/>).</summary>
    public IReadOnlyList<string> WarmStart { get; init; } = [];
}
