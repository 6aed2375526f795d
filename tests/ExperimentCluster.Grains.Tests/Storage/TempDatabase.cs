namespace ExperimentCluster.Grains.Tests.Storage;

/// <summary>A database path of its own for one test, in a folder that does not exist yet; deleted afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "excl-storage-tests", Guid.NewGuid().ToString("N"));

    public TempDatabase() => Path = System.IO.Path.Combine(_root, "data", "experiments.db");

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a file still open elsewhere must not turn a passing test into a failure.
        }
    }
}
