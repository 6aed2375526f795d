namespace ExperimentCluster.Contracts;

public static class Statuses
{
    /// <summary>A finished run never trains again.</summary>
    public static bool IsFinished(this RunStatus status) => status is not (RunStatus.Queued or RunStatus.Running);

    /// <summary>The lower-case word used in JSON, CSV and on the page.</summary>
    public static string ToWord(this RunStatus status) => status.ToString().ToLowerInvariant();

    public static string ToWord(this SweepStatus status) => status.ToString().ToLowerInvariant();
}
