namespace ExperimentCluster.Cli.Output;

/// <summary>A file `excl plot --json` wrote, by its full path.</summary>
public sealed record FileLine(string File);
