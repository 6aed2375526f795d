namespace ExperimentCluster.Bench;

/// <summary>The last line of `bench train --json`: what the whole process used.</summary>
public sealed record MemoryLine(double PeakWorkingSetMib, double GcHeapMib);
