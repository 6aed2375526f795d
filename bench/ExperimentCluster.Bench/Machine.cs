namespace ExperimentCluster.Bench;

/// <summary>What a benchmark report says about the machine it ran on.</summary>
internal static class Machine
{
    /// <summary>The processor's model name.</summary>
    public static string CpuName()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? "unknown processor";
        }
        catch (IOException)
        {
            return "unknown processor";
        }
    }
}
