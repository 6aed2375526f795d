namespace ExperimentCluster.Silo.Storage;

/// <summary>
/// How hard SQLite pushes each commit to disk (<c>PRAGMA synchronous</c>); the database always runs in WAL mode.
/// </summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// A commit is in the operating system's page cache when it completes; it reaches the disk at the next checkpoint.
    /// A killed process (kill -9, a crash) loses nothing committed; only a power loss or kernel crash can lose the
    /// last commits, and never corrupts the file. The default: embedded mode runs on a workstation, where that
    /// trade buys an order of magnitude in commit latency.
    /// </summary>
    Normal,

    /// <summary>
    /// Every commit is fsynced before it completes, so it also survives a power loss. One fsync per group commit.
    /// </summary>
    Full,
}
