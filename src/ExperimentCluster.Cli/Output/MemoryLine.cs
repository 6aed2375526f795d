namespace ExperimentCluster.Cli.Output;

/// <summary>The last line of `excl bench train --json`: what the whole process used.</summary>
public sealed record MemoryLine(double PeakWorkingSetMib, double GcHeapMib);
