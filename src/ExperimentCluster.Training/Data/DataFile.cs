namespace ExperimentCluster.Training.Data;

/// <summary>A data file that passed <see cref="DataFiles.Check"/>: the path as given, the resolved one, its size and last change.</summary>
public sealed record DataFile(string Path, string FullPath, long Length, DateTime LastWriteUtc)
{
    /// <summary>Known by resolved path, size and time of last change, so that an edited file is read again.</summary>
    public string Identity => $"{FullPath}|{Length}|{LastWriteUtc.Ticks}";
}
