namespace ExperimentCluster.Tuning;

/// <summary>A rule's verdict on one report. <see cref="Rung"/> is the 0-based rung (or check) that decided, when there was one.</summary>
public sealed record StopDecision(bool Stop, string? Rule, int? Rung, string Reason)
{
    public static StopDecision Continue(string? rule, string reason) => new(false, rule, null, reason);
}
