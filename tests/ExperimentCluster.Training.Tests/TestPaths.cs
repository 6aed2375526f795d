using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Training.Tests;

internal static class TestPaths
{
    /// <summary>The fixed 80/20 digits split of shared/datasets (1437 + 360 rows), copied into the tests.</summary>
    public static string DigitsSplit => Path.Combine(AppContext.BaseDirectory, "TestData", "digits_split.json");

    /// <summary>The data roots of these tests: the copied test data and the scratch folders.</summary>
    public static DataFiles Files { get; } = new([Path.Combine(AppContext.BaseDirectory, "TestData"), ScratchRoot]);

    private static string ScratchRoot => Path.Combine(Path.GetTempPath(), "excl-training-tests");

    /// <summary>A scratch directory of its own for one test.</summary>
    public static string NewTempDirectory()
    {
        var path = Path.Combine(ScratchRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
