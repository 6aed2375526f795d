namespace ExperimentCluster.EndToEnd.Tests.CommandSweeps;

/// <summary>The command-sweep tests start silos and trial processes: one at a time, on a machine of two cores.</summary>
[CollectionDefinition(Name)]
public sealed class CommandSweepGroup
{
    public const string Name = "command-sweeps";
}
