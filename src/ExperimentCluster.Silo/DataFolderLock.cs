namespace ExperimentCluster.Silo;

/// <summary>
/// One process trains a data folder (embedded mode: one SQLite file) at a time: an `excl run` or `excl resume`, or a
/// silo started on the folder. It holds the folder's <c>lock</c> file for as long as it runs (the operating system lets
/// go of it when the process dies, kill -9 included) and notes its loopback gateway in <c>gateway</c>, so that other excl
/// commands on the folder talk to its silo instead of opening the file beside it. Two would each resume the folder's
/// unfinished runs and train them twice into the same file.
/// </summary>
public static class DataFolderLock
{
    public const string GatewayFileName = "gateway";

    /// <summary>The folder's lock, or null when another process holds it.</summary>
    public static FileStream? TryTake(string dataDir)
    {
        try
        {
            return new FileStream(Path.Combine(dataDir, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static string GatewayNote(string dataDir) => Path.Combine(dataDir, GatewayFileName);

    /// <summary>Written once the silo listens, deleted before the lock is let go.</summary>
    public static Task WriteGatewayNoteAsync(string dataDir, int gatewayPort, CancellationToken cancellationToken = default) =>
        File.WriteAllTextAsync(GatewayNote(dataDir), $"127.0.0.1:{gatewayPort}", cancellationToken);

    /// <summary>Whether a silo of these settings trains a data folder of its own: an embedded silo that is not joining
    /// another on this machine (a second local silo, Cluster:PrimarySiloPort, shares the first one's cluster).</summary>
    public static bool Applies(SiloSettings settings) =>
        settings.Mode == "embedded" && (settings.PrimarySiloPort is null || settings.PrimarySiloPort == settings.SiloPort);
}
