using ExperimentCluster.Contracts;
using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains;

/// <summary>
/// The sweep's timer: it flushes what reports changed, wakes the unfinished runs (a run whose silo died continues from its
/// checkpoint elsewhere), learns of finishes whose report was lost, and pumps.
/// </summary>
public sealed partial class SweepGrain
{
    private void StartTimer(TimeSpan due)
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions
        {
            DueTime = due,
            Period = options.Value.SweepFlushInterval < options.Value.WakeInterval ? options.Value.SweepFlushInterval : options.Value.WakeInterval,
            Interleave = true,
        });
    }

    /// <summary>Flushes summaries, wakes runs that lost their silo, and starts runs a lost start never reached.</summary>
    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        if (Writes.Pending)
            await Writes.PersistAsync();
        if (State.Status != SweepStatus.Running)
        {
            _timer?.Dispose();
            return;
        }
        if (options.Value.AutoResume && DateTime.UtcNow - _lastWake >= options.Value.WakeInterval)
        {
            _lastWake = DateTime.UtcNow;
            await WakeRunsAsync();
        }
        await PumpAsync();
    }

    /// <summary>Every unfinished run is woken: a live one ignores it, one whose silo died continues from its checkpoint elsewhere.</summary>
    private async Task WakeRunsAsync()
    {
        var active = _open.Where(State.Runs, r => r.Started);
        var views = await Task.WhenAll(active.Select(async r =>
        {
            try
            {
                return await GrainFactory.Run(Id, r.Number).WakeAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e)
            {
                logger.LogWarning("Sweep {Sweep}: waking run {Number} failed: {Message}", Id, r.Number, e.Message);
                return null;
            }
        }));
        var neverStarted = new List<SweepRun>();
        var finishedUnheard = new List<SweepRun>();
        for (var i = 0; i < active.Count; i++)
        {
            var view = views[i];
            var run = active[i];
            if (view is null)
                continue;
            if (view.SweepId.Length == 0 || view.Attempt < run.Attempt)
            {
                neverStarted.Add(run);
                continue;
            }
            if (view.Status.IsFinished() && !run.Status.IsFinished())
            {
                finishedUnheard.Add(run);
                continue;
            }
            if (!view.Status.IsFinished() && view.Silo is not null && view.Silo != run.Silo)
            {
                // The run was picked up again elsewhere (its silo died): say where it is now, even while it waits for a slot.
                run.Silo = view.Silo;
                run.Resumes = Math.Max(run.Resumes, view.Resumes);
                Writes.Changed();
            }
        }
        await Task.WhenAll(finishedUnheard.Select(FinishFromRunAsync));
        await Task.WhenAll(neverStarted.Select(StartRunAsync));
    }

    /// <summary>
    /// A run finished but its final report was lost with a dead silo: the run's own state is the truth. Its epochs the
    /// sweep has not seen go through the same path as reports (events for watchers, the exact count, the rule's values),
    /// then its finish, so that nothing differs from a report that had arrived.
    /// </summary>
    private async Task FinishFromRunAsync(SweepRun run)
    {
        RunDetail? detail;
        try
        {
            detail = await GrainFactory.Run(Id, run.Number).GetDetailAsync(0).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e)
        {
            logger.LogWarning("Sweep {Sweep}: reading finished run {Number} failed: {Message}", Id, run.Number, e.Message);
            return;
        }
        // Checked again after the await: the run's re-sent final report may have arrived meanwhile.
        if (detail is null || run.Status.IsFinished() || !detail.Run.Status.IsFinished() || detail.Run.Attempt != run.Attempt)
            return;
        foreach (var epoch in detail.Metrics)
            RecordEpoch(run, epoch);
        var view = detail.Run;
        run.Silo = view.Silo ?? run.Silo;
        run.Resumes = Math.Max(run.Resumes, view.Resumes);
        run.Result = view.Result;
        Finish(run, view.Status, view.Reason, view.DivergedAtEpoch);
        Writes.Changed();
    }
}
