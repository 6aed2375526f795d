namespace ExperimentCluster.Contracts;

/// <summary>The names files about a sweep get when they are downloaded or written for the user: the id's safe characters only.</summary>
public static class DownloadName
{
    public static string Of(string sweepId)
    {
        var safe = new string(sweepId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return safe.Length == 0 ? "sweep" : safe;
    }

    /// <summary>A built-in run's model: <c>ID-run3.model.json</c>.</summary>
    public static string Model(string sweepId, int run) => $"{Of(sweepId)}-run{run}.model.json";

    /// <summary>A command trial's checkpoint folder: <c>ID-run3-checkpoint</c> (with <c>.tar.gz</c> when packed).</summary>
    public static string CheckpointFolder(string sweepId, int run) => $"{Of(sweepId)}-run{run}-checkpoint";
}
