namespace ExperimentCluster.Silo.Storage;

/// <summary>
/// The outcome of one conditional change of a grain state row: when applied, <see cref="Version"/> is the row's
/// new version (null when there is no row); when refused, it is the version found (null when the row is missing).
/// </summary>
internal readonly record struct SqliteStateChange(bool Applied, long? Version)
{
    public static SqliteStateChange Accepted(long? version) => new(true, version);

    public static SqliteStateChange Refused(long? storedVersion) => new(false, storedVersion);
}
