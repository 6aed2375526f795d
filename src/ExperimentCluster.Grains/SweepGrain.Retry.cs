using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains;

/// <summary>
/// Retrying runs. A retried run keeps its number and its run grain (every reader of the run, the page, the export, the
/// CLI, finds the latest attempt where it always looked); the sweep's record starts over with the attempt one higher,
/// and the run grain, started with that attempt, moves its old trajectory into its history before training from scratch.
/// </summary>
public sealed partial class SweepGrain
{
    public async Task<SweepChange> RetryAsync(RetryRequest request)
    {
        if (!State.Exists)
            return new SweepChange(null, $"id: no sweep '{Id}'");
        var (chosen, error) = Chosen(request);
        if (chosen is null)
            return new SweepChange(null, error);
        foreach (var number in chosen)
            Restart(State.Runs[number]);
        if (State.Status is SweepStatus.Completed or SweepStatus.Failed)
        {
            // Reopened: it ends again once the retried runs have (the search's budget is spent already, or it goes on).
            State.Status = SweepStatus.Running;
            State.FinishedAt = null;
            State.Reason = null;
        }
        await Writes.PersistAsync();
        if (State.Status == SweepStatus.Running)
        {
            await this.RegisterOrUpdateReminder(ReminderName, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
            StartTimer(options.Value.WakeInterval);
            await PumpAsync();
        }
        // A paused sweep keeps them queued until it is resumed.
        return new SweepChange(SweepViews.Sweep(Id, State), null, null, chosen);
    }

    /// <summary>The runs a request names, or the first problem with it (the field and the reason).</summary>
    private (IReadOnlyList<int>? Runs, string? Error) Chosen(RetryRequest request)
    {
        if (State.Status == SweepStatus.Cancelled)
            return (null, $"status: sweep '{Id}' was cancelled; a cancelled sweep does not train again");
        if (_definition is null)
            return (null, $"status: sweep '{Id}' no longer passes the checks and cannot train");
        var numbers = request.Runs ?? [];
        if (!request.Failed && !request.Diverged && numbers.Count == 0)
            return (null, "runs: say which runs to retry (failed, diverged, or run numbers)");
        var chosen = new SortedSet<int>();
        for (var i = 0; i < numbers.Count; i++)
        {
            var n = numbers[i];
            if (n < 0 || n >= State.Runs.Count)
                return (null, $"runs[{i}]: sweep '{Id}' has no run {n} (its runs are 0 to {State.Runs.Count - 1})");
            var run = State.Runs[n];
            if (run.Kind is not null)
                return (null, $"runs[{i}]: run {n} is a measurement ({run.Kind}), not a training run; only training runs can be retried");
            if (!run.Status.IsFinished())
                return (null, $"runs[{i}]: run {n} is {run.Status.ToWord()}; only a finished run can be retried");
            chosen.Add(n);
        }
        foreach (var run in State.Runs.Where(r => r.Kind is null))
        {
            if ((request.Failed && run.Status == RunStatus.Failed) || (request.Diverged && run.Status == RunStatus.Diverged))
                chosen.Add(run.Number);
        }
        if (chosen.Count == 0)
        {
            var field = request.Failed ? "failed" : "diverged";
            var what = request.Failed && request.Diverged ? "failed or diverged" : field;
            return (null, $"{field}: sweep '{Id}' has no {what} run; nothing to retry");
        }
        return (chosen.ToList(), null);
    }

    /// <summary>The sweep's record of a run starts over as the next attempt, queued: the pump starts it under the limit.</summary>
    private void Restart(SweepRun run)
    {
        // The old attempt's epochs leave the count (which is the sum of the runs' epochs); its events stay numbered.
        State.EpochsReported -= run.Epochs;
        State.RetriedEvents += run.Epochs + 2;
        run.Attempt++;
        run.Status = RunStatus.Queued;
        run.Started = false;
        run.Reason = null;
        run.Epochs = 0;
        run.BestValLoss = null;
        run.FinalValLoss = null;
        run.FinalValAccuracy = null;
        run.ModelEpoch = null;
        run.DivergedAtEpoch = null;
        run.Result = null;
        run.Resumes = 0;
        run.Values = [];
        _history.ValuesRemoved();
        _open.Opened(run.Number);
        _buckets.Touch(run.Number);
        Refresh(run);
        _events.Add(run.Number, RunStatus.Queued, null, $"retried as attempt {run.Attempt}");
    }
}
