using ExperimentCluster.Contracts;
using ExperimentCluster.SweepModel;

namespace ExperimentCluster.Grains;

/// <summary>
/// The sweep's <c>time_budget</c>: the time it has spent running is counted in its state (only in a process that trains
/// it, and not while paused or down), and once it reaches the budget the pump starts nothing new: the runs training finish,
/// the runs not started are cancelled, and the sweep completes with its reason.
/// </summary>
public sealed partial class SweepGrain
{
    // When the running time was last added to State.RunningSeconds; null while the sweep is not running here.
    private DateTimeOffset? _runningSince;

    /// <summary>Adds the time since the last count to the stored total; called with every write of the state.</summary>
    private void CountRunningTime()
    {
        var now = DateTimeOffset.UtcNow;
        if (_runningSince is { } since)
            State.RunningSeconds += Math.Max(0, (now - since).TotalSeconds);
        _runningSince = State.Status == SweepStatus.Running && options.Value.AutoResume ? now : null;
    }

    /// <summary>Why a sweep completes before its plan: its budget ran out (null when it did not).</summary>
    private string? TimeReason(SweepDefinition definition, bool outOfTime) => outOfTime
        ? $"its time budget ({TimeBudget.Text(definition.TimeBudget!.Value)}) ran out after {State.Runs.Count(r => r.Kind is null && r.Started)} of {definition.MaxRuns} planned runs had started; those training then finished"
        : null;

    /// <summary>The running time so far: the stored total and the time since it was last counted.</summary>
    private double RunningSeconds() =>
        State.RunningSeconds + (_runningSince is { } since ? Math.Max(0, (DateTimeOffset.UtcNow - since).TotalSeconds) : 0);

    private bool TimeBudgetUsed(SweepDefinition definition)
    {
        // The pump runs only where the sweep trains and while it runs: the clock starts (again) here.
        _runningSince ??= DateTimeOffset.UtcNow;
        return definition.TimeBudget is { } budget && RunningSeconds() >= budget.TotalSeconds;
    }

    /// <summary>Cancels the runs never started (their configurations' other seeds, a queue behind the concurrency limit).
    /// Returns the runs that still start: retried ones, which the user asked for after the budget.</summary>
    private Queue<SweepRun> EndForTime(SweepDefinition definition, Queue<SweepRun> pending)
    {
        var budget = TimeBudget.Text(definition.TimeBudget!.Value);
        foreach (var run in pending.Where(r => r.Attempt == 1))
            Finish(run, RunStatus.Cancelled, $"the sweep's time budget ({budget}) ran out before it started", null);
        return new Queue<SweepRun>(pending.Where(r => r.Attempt > 1));
    }
}
