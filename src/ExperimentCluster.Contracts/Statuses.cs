namespace ExperimentCluster.Contracts;

public static class Statuses
{
    /// <summary>A finished run never trains again (unless retried as a new attempt). A paused run is not finished.</summary>
    public static bool IsFinished(this RunStatus status) => status is not (RunStatus.Queued or RunStatus.Running or RunStatus.Paused);

    /// <summary>The lower-case word used in JSON, CSV and on the page.</summary>
    public static string ToWord(this RunStatus status) => status.ToString().ToLowerInvariant();

    public static string ToWord(this SweepStatus status) => status.ToString().ToLowerInvariant();
}
