namespace ExperimentCluster.Cli.Output;

/// <summary>A piece of a run's output, as `excl logs --json` prints it: `start` above the previous piece's `next` means
/// older text was dropped before it could be read.</summary>
public sealed record LogChunkLine(int Run, string Text, long Start, long Next);
