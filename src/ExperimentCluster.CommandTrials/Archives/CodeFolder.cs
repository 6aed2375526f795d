namespace ExperimentCluster.CommandTrials.Archives;

/// <summary>The user's code folder as it is uploaded (`excl run/submit --upload DIR`): its ignore rules and its limit.</summary>
public static class CodeFolder
{
    /// <summary>The largest compressed code archive, by default (the cluster's is Experiments:MaxCodeBytes).</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    /// <summary>The folder packed with the built-in ignore rules and its .exclignore.</summary>
    public static PackedFolder Pack(string folder, long maxBytes = DefaultMaxBytes) =>
        FolderArchive.PackFolder(folder, maxBytes, IgnoreRules.ForFolder(folder),
            $"leave out data, checkpoints and outputs by adding their names to {Path.Combine(folder, IgnoreRules.FileName)} (one per line)");
}
