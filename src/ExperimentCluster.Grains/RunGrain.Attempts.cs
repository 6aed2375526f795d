using ExperimentCluster.Contracts;
using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains;

/// <summary>
/// Pausing a run and retrying it. A paused run has stored its checkpoint and stopped; it is not finished, so the sweep
/// wakes it on resume like a run whose silo died. A retried run keeps its settings and seed, and its finished attempt
/// moves into <see cref="RunState.EarlierAttempts"/> before it trains again from scratch.
/// </summary>
public sealed partial class RunGrain
{
    /// <summary>Stores the run as Paused and tells the sweep, whose answer may be to go on (it was resumed meanwhile).</summary>
    private async Task PauseHereAsync(string? reason, CancellationToken cancellationToken)
    {
        _stopRequest = null;
        State.Status = RunStatus.Paused;
        State.Reason = reason;
        await WriteAsync(CancellationToken.None);
        await SaveLogAsync(force: true);
        var last = State.Metrics.Count > 0 ? State.Metrics[^1] : null;
        var decision = await ReportAsync(
            new RunReport(State.Number, last, RunStatus.Paused, reason, null, State.Silo, State.Resumes, null, State.Attempt), cancellationToken);
        if (!decision.Stop)
        {
            // Started again once this loop has returned (the wake that resumed the sweep found it still running).
            State.Reason = null;
            _loop = null;
            _ = RestartSoonAsync(_deactivating?.Token ?? CancellationToken.None);
        }
        else if (decision.StopAs.IsFinished())
        {
            await FinishAsync(decision.StopAs, decision.Reason, report: true, cancellationToken);
        }
    }

    /// <summary>The sweep retries this run: its finished attempt is kept in the history and the run starts over.</summary>
    private async Task StartAttemptAsync(int attempt)
    {
        if (!State.Status.IsFinished())
        {
            // The sweep retries finished runs only; a run still training here has not told it so yet. It finishes, then
            // the sweep's wake pass starts the new attempt.
            logger.LogWarning("Run {Sweep}/{Number}: attempt {Attempt} asked for while attempt {Current} is {Status}",
                State.SweepId, State.Number, attempt, State.Attempt, State.Status);
            return;
        }
        State.EarlierAttempts.Add(new RunAttempt(State.Attempt, State.Status, State.Reason, State.DivergedAtEpoch, State.Result,
            State.Silo, State.Resumes, State.StartedAt, State.FinishedAt, State.Metrics));
        State.Attempt = attempt;
        State.Status = RunStatus.Queued;
        State.Reason = null;
        State.Metrics = [];
        ForgetCheckpoint();
        State.DivergedAtEpoch = null;
        State.DivergedAtStep = null;
        State.ModelEpoch = null;
        State.Result = null;
        State.Resumes = 0;
        State.StartedAt = DateTimeOffset.UtcNow;
        State.FinishedAt = null;
        _finalAcknowledged = false;
        _stopRequest = null;
        await WriteAsync(CancellationToken.None);
    }

    private List<RunAttempt> EarlierAttempts(int maxPoints) =>
        State.EarlierAttempts.Select(a => a with { Metrics = Downsample.Epochs(a.Metrics, maxPoints) }).ToList();
}
