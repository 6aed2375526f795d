namespace ExperimentCluster.CommandTrials.Archives;

/// <summary>
/// A folder that cannot be packed or an archive that is refused: the message names the path or entry and the reason,
/// ready to be shown to the user as it is.
/// </summary>
public sealed class ArchiveException : Exception
{
    public ArchiveException()
    {
    }

    public ArchiveException(string message)
        : base(message)
    {
    }

    public ArchiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
