using ExperimentCluster.Contracts;
using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains;

/// <summary>
/// Pausing and resuming a sweep. A pause is stored first (so a restart or a silo kill finds the sweep paused and no
/// reminder or timer wakes it), then every started run is asked to stop at its next checkpoint as Paused: not finished,
/// it keeps its place under the concurrency limit and continues from that checkpoint on resume.
/// </summary>
public sealed partial class SweepGrain
{
    private const string PausedReason = "the sweep was paused";

    public async Task<SweepChange> PauseAsync()
    {
        if (!State.Exists)
            return new SweepChange(null, $"id: no sweep '{Id}'");
        if (State.Status == SweepStatus.Paused)
            return new SweepChange(SweepViews.Sweep(Id, State), null, $"sweep '{Id}' is paused already; `excl resume {Id}` continues it");
        if (State.Status != SweepStatus.Running)
            return new SweepChange(null, $"status: sweep '{Id}' is {State.Status.ToWord()}; only a running sweep can be paused");
        State.Status = SweepStatus.Paused;
        await Writes.PersistAsync();
        // The timer stops itself once it sees the sweep is not running (after flushing what the pausing runs report).
        await this.UnregisterReminderQuietly(ReminderName, logger);
        var active = _open.Where(State.Runs, r => r.Started);
        await Task.WhenAll(active.Select(r => PauseRunAsync(r.Number)));
        return new SweepChange(SweepViews.Sweep(Id, State), null);
    }

    /// <summary>A paused sweep runs again: its paused runs queue for a slot, and ResumeAsync wakes them and the search.</summary>
    private async Task UnpauseAsync()
    {
        State.Status = SweepStatus.Running;
        foreach (var run in _open.Where(State.Runs, r => r.Status == RunStatus.Paused))
        {
            run.Status = RunStatus.Queued;
            run.Reason = null;
            Refresh(run);
        }
        await Writes.PersistAsync();
        await this.RegisterOrUpdateReminder(ReminderName, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
    }

    private async Task PauseRunAsync(int number)
    {
        try
        {
            await GrainFactory.Run(Id, number).StopAsync(RunStatus.Paused, PausedReason);
        }
        catch (Exception e)
        {
            // The run asks the sweep before its next epoch counts, and the answer is "pause": it stops there.
            logger.LogWarning("Sweep {Sweep}: pausing run {Number} failed: {Message}", Id, number, e.Message);
        }
    }

    /// <summary>
    /// The answer to a report while the sweep is paused, or to a run saying it has paused; null when pausing has nothing
    /// to say (the report goes through as usual). The epoch a report carries is recorded before this is asked.
    /// </summary>
    private (RunDecision Decision, bool Persist)? PauseReply(SweepRun run, RunReport report, bool mustPersist)
    {
        if (report.Status == RunStatus.Paused)
        {
            if (State.Status == SweepStatus.Running)
            {
                // Resumed before this run reached its checkpoint: it goes on at once.
                run.Status = RunStatus.Queued;
                Refresh(run);
                Writes.Changed();
                return (RunDecision.Continue, mustPersist);
            }
            if (State.Status != SweepStatus.Paused)
                return (new RunDecision(true, RunStatus.Cancelled, "the sweep was cancelled"), mustPersist);
            run.Status = RunStatus.Paused;
            run.Reason = report.Reason;
            run.Silo = report.Silo ?? run.Silo;
            Refresh(run);
            Writes.Changed();
            return (new RunDecision(true, RunStatus.Paused, PausedReason), true);
        }
        if (State.Status == SweepStatus.Paused && !report.Status.IsFinished())
        {
            Writes.Changed();
            return (new RunDecision(true, RunStatus.Paused, PausedReason), mustPersist);
        }
        return null;
    }

    /// <summary>The answer to a report from an attempt that a retry has replaced: it changes nothing.</summary>
    private static RunDecision StaleAttempt(SweepRun run) =>
        new(true, RunStatus.Cancelled, $"attempt {run.Attempt} of run {run.Number} replaced this one");
}
