using ExperimentCluster.CommandTrials;
using ExperimentCluster.Grains.Checkpoints;
using ExperimentCluster.Grains.Trajectories;
using ExperimentCluster.Contracts;
using ExperimentCluster.Training;
using ExperimentCluster.Training.Data;
using Microsoft.Extensions.Logging;
using Orleans.Dashboard;
using ExperimentCluster.Grains.Placement;
using Orleans.Storage;

namespace ExperimentCluster.Grains;

/// <summary>
/// One training run. Calls return at once; a background loop trains one epoch at a time on the thread pool
/// (inside one of the silo's training slots), then, back on the grain, appends the metrics, writes the
/// checkpoint and reports to the sweep, whose reply says whether to go on. See orleans-notes.md section 2.
/// </summary>
[GrainType("run")]
[FreeSlotPlacement]
public sealed partial class RunGrain(
    [PersistentState("run", StorageNames.Experiments)] IPersistentState<RunState> store,
    [PersistentState("runlog", StorageNames.Experiments)] IPersistentState<RunLogState> logStore,
    TrainingSlots slots,
    ILocalSiloDetails silo,
    DataFiles files,
    GpuPool gpus,
    CommandTrialRunner commands,
    ICheckpointStore checkpoints,
    ITrajectoryStore trajectories,
    Microsoft.Extensions.Options.IOptions<ExperimentOptions> logOptions,
    IGrainContext context,
    ILogger<RunGrain> logger) : Grain, IRunGrain
{
    private RunState State => store.State;

    // Every write of the run's state goes through here: an ETag conflict (Redis lost its newest writes) is recovered.
    private readonly RecoveringState<RunState> _writer = new(context, store, "run", ConflictRules.Run, logger);

    private Task? _loop;
    private TrainingSpec? _spec;
    private CommandSpec? _command;
    private RunOutput? _output;

    /// <summary>The most epochs taken in one write and one question to the sweep.</summary>
    private const int MaxBatch = 1024;
    private CancellationTokenSource? _deactivating;
    // Cancelled by a stop request: ends the wait for a training slot, and a command trial's wait for its next report
    // (a user program's epoch may take hours, and a cancel must not wait for it).
    private CancellationTokenSource? _stopWaiting;
    private (RunStatus Status, string Reason)? _stopRequest;

    // Not stored: a finished run that is woken again simply re-sends its final report (reports are idempotent),
    // which saves one write per run.
    private bool _finalAcknowledged;

    public async Task<RunView> StartAsync(RunStart start)
    {
        if (!State.Exists)
        {
            State.SweepId = start.SweepId;
            State.Number = start.Number;
            State.Attempt = start.Attempt;
            State.Kind = start.Kind;
            State.KindSettings = start.KindSettings is null ? null : new Dictionary<string, double>(start.KindSettings, StringComparer.Ordinal);
            try
            {
                if (CommandSpec.FromRunSpec(start.SpecJson) is { } command)
                {
                    // A command trial's spec was spelled out by the sweep model.
                    _command = command;
                    State.SpecJson = start.SpecJson;
                }
                else
                {
                    // Stored with every option spelled out, so the run is reproducible whatever later defaults say. The checks
                    // that read the data run with the trainer, in a training slot, not on this grain's turn.
                    _spec = TrainingSpecJson.ReadSettings(start.SpecJson);
                    State.SpecJson = TrainingSpecJson.ToJson(_spec).ToJsonString();
                }
            }
            catch (Exception e) when (e is SpecException or CommandSpecException or System.Text.Json.JsonException)
            {
                State.SpecJson = start.SpecJson;
                State.Status = RunStatus.Failed;
                State.Reason = e.Message;
            }
            State.Config = new Dictionary<string, string>(start.Config, StringComparer.Ordinal);
            if (State.Status != RunStatus.Failed)
                State.Status = RunStatus.Queued;
            State.StartedAt = DateTimeOffset.UtcNow;
            await _writer.WriteAsync();
        }
        else if (start.Attempt > State.Attempt)
        {
            await StartAttemptAsync(start.Attempt);
        }
        EnsureLoop();
        return View();
    }

    public Task<RunView> WakeAsync()
    {
        if (State.Exists)
            EnsureLoop();
        return Task.FromResult(View());
    }

    public async Task StopAsync(RunStatus status, string reason)
    {
        if (!State.Exists || State.Status.IsFinished())
            return;
        _stopRequest = (status, reason);
        if (_loop is { IsCompleted: false })
        {
            // The loop stops at its next chunk boundary (after checkpointing the current epoch), or at once if queued or
            // waiting for a command trial's report.
            _stopWaiting?.Cancel();
            return;
        }
        await FinishAsync(status, reason, report: false);
    }

    [NoProfiling]
    public Task<RunView?> GetState() => Task.FromResult(State.Exists ? View() : null);

    [NoProfiling]
    public Task<RunDetail?> GetDetailAsync(int maxPoints)
    {
        if (!State.Exists)
            return Task.FromResult<RunDetail?>(null);
        var metrics = Downsample.Epochs(State.Metrics, maxPoints);
        return Task.FromResult<RunDetail?>(new RunDetail(View(), State.SpecJson, metrics, State.DivergedAtStep, EarlierAttempts(maxPoints)));
    }

    [NoProfiling]
    public Task<RunLog> GetLogAsync(long from, int maxChars)
    {
        var (text, start, next) = Output.Log.Read(from, Math.Clamp(maxChars, 0, 1 << 20));
        return Task.FromResult(new RunLog(text, start, next, State.Status.IsFinished()));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating?.Cancel();
        _stopWaiting?.Cancel();
        if (_loop is { IsCompleted: false } loop)
        {
            try
            {
                await loop.WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
                // The last checkpoint is stored; the run continues from it in its next activation.
            }
        }
    }

    private void EnsureLoop()
    {
        if (_loop is { IsCompleted: false })
            return;
        if (State.Status.IsFinished() && _finalAcknowledged)
            return;
        if (!State.Status.IsFinished())
        {
            // Picked up (again) here: the views that WakeAsync returns to the sweep and GetState returns to pages name
            // this silo from now on, not the one that may have died with the run's previous activation.
            State.Silo = silo.SiloAddress.ToString();
        }
        _deactivating ??= new CancellationTokenSource();
        _loop = LoopAsync(_deactivating.Token);
    }

    private async Task LoopAsync(CancellationToken deactivating)
    {
        // Run after the calling request has returned, on the grain's scheduler.
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.ForceYielding);
        try
        {
            if (State.Status.IsFinished())
            {
                await ReportFinalAsync(deactivating);
                return;
            }
            if (State.Metrics.Count > 0)
            {
                // A report may have been lost with the old activation; reports are idempotent, and the reply may be "stop".
                var decision = await ReportAsync(EpochReport(State.Metrics[^1]), deactivating);
                if (decision.Stop)
                {
                    await FinishAsync(decision.StopAs, decision.Reason ?? "stopped by the sweep", report: true, deactivating);
                    return;
                }
            }
            await TrainAsync(deactivating);
        }
        catch (OperationCanceledException) when (deactivating.IsCancellationRequested)
        {
            // Deactivating (shutdown or migration): the stored checkpoint is where the next activation continues.
        }
        catch (InconsistentStateException) when (!deactivating.IsCancellationRequested)
        {
            // The stored state was further than this activation's (another activation trained on, briefly, while the
            // cluster converged after a silo loss): the writer has replaced this one's with it, and the run continues
            // from its checkpoint and trajectory, as after a silo kill.
            CheckpointReloaded();
            await LoadTrajectoryAsync(deactivating);
            logger.LogWarning("Run {Sweep}/{Number}: continuing from the stored state ({Epochs} epochs)", State.SweepId, State.Number, State.Metrics.Count);
            _loop = null;
            _ = RestartSoonAsync(deactivating);
        }
        catch (Exception e) when (!deactivating.IsCancellationRequested)
        {
            logger.LogError(e, "Run {Sweep}/{Number} failed", State.SweepId, State.Number);
            await FinishAsync(RunStatus.Failed, e.Message, report: true, deactivating);
        }
    }

    private async Task RestartSoonAsync(CancellationToken deactivating)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(200), deactivating);
        EnsureLoop();
    }

    private async Task TrainAsync(CancellationToken deactivating)
    {
        _stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(deactivating);
        var command = _command ??= CommandSpec.FromRunSpec(State.SpecJson);
        RunLeases leases;
        try
        {
            State.Status = RunStatus.Queued;
            // A run with a checkpoint is being resumed (it trained here or on a silo that died): it goes ahead of runs
            // that have not started, so that an interruption does not also cost it its place.
            leases = await RunLeases.AcquireAsync(slots, gpus, command, resumed: HasCheckpoint, _stopWaiting.Token);
        }
        catch (OperationCanceledException) when (!deactivating.IsCancellationRequested && _stopRequest is { } stop)
        {
            await FinishAsync(stop.Status, stop.Reason, report: true, deactivating);
            return;
        }
        // Given back as soon as the last computation is done (below), so that the next run trains while this one's
        // final write and report are in flight; disposing again here is harmless.
        using var _ = leases;
        if (State.Status.IsFinished())
            return;

        State.Status = RunStatus.Running;
        State.Silo = silo.SiloAddress.ToString();
        var checkpoint = await LoadCheckpointAsync(deactivating);
        if (checkpoint is not null)
            State.Resumes++;
        IRunChunks chunks;
        if (command is not null)
        {
            try
            {
                chunks = await commands.StartAsync(command, State, checkpoint, leases.Gpus, Output.Log, _stopWaiting.Token);
            }
            catch (OperationCanceledException) when (!deactivating.IsCancellationRequested && _stopRequest is { } stop)
            {
                leases.Dispose();
                await FinishAsync(stop.Status, stop.Reason, report: true, deactivating);
                return;
            }
        }
        else
        {
            var spec = _spec ??= TrainingSpecJson.ReadSettings(State.SpecJson);
            var (kind, settings) = (State.Kind, State.KindSettings);
            var trainer = await slots.ComputeAsync(() => RunTrainers.Create(kind, spec, settings, checkpoint, files), deactivating);
            TrainFromCheckpoint(trainer);
            if (trainer.Status != TrainingStatus.Running || trainer.ChunksDone >= trainer.Chunks)
            {
                leases.Dispose();
                await FinishFromEndAsync(RunEnd.Of(trainer), deactivating);
                return;
            }
            // Epochs train back to back while the grain writes and reports the previous ones, so the slot never waits
            // on storage or on the sweep.
            chunks = new EpochPipeline(trainer, slots, logOptions.Value.CheckpointInterval, deactivating);
        }

        // An epoch counts only if the sweep's answer for the one before is "go on"; otherwise it is dropped and the run
        // stops with its trajectory and checkpoint where the sweep said.
        try
        {
            while (true)
            {
                if (_stopRequest is { } stop)
                {
                    await chunks.StopAsync();
                    leases.Dispose();
                    await FinishAsync(stop.Status, stop.Reason, report: true, deactivating);
                    return;
                }
                TrainedEpoch? first;
                try
                {
                    first = await chunks.NextAsync();
                }
                catch (OperationCanceledException) when (!deactivating.IsCancellationRequested && _stopRequest is not null)
                {
                    // A stop while a command trial was between reports: the top of the loop stops its program now.
                    continue;
                }
                if (first is null)
                {
                    leases.Dispose();
                    await FinishFromEndAsync(chunks.End, deactivating);
                    return;
                }
                // What piled up while the last batch was written and reported (a trial that reports faster than one
                // write per epoch) goes in one write and one question to the sweep.
                var batch = new List<TrainedEpoch> { first };
                while (!batch[^1].Last && batch.Count < MaxBatch && chunks.TryNext(out var more))
                    batch.Add(more);
                var counted = State.Metrics.Count;
                var checkpointBefore = (_checkpoint, _checkpointEpoch);
                foreach (var chunk in batch)
                {
                    var m = chunk.Metrics;
                    State.Metrics.Add(new EpochRecord(m.Epoch, m.TrainLoss, m.ValLoss, m.ValAccuracy, m.LearningRate, m.Seconds, m.Steps));
                    ExperimentMetrics.EpochTrained();
                    CheckpointTaken(chunk);
                }
                var last = batch[^1].Last;
                // A last epoch goes with the final status in one write and one report; the sweep decides on the others.
                var asked = last ? batch.Count - 1 : batch.Count;
                if (!last)
                    await WriteAsync(deactivating);
                if (asked > 0)
                {
                    var reports = State.Metrics.GetRange(counted, asked).Select(EpochReport).ToList();
                    var (decision, accepted) = await ReportEpochsAsync(reports, deactivating);
                    if (decision.Stop)
                    {
                        // Epochs after the one the sweep stopped at never happened, as for a run trained one epoch at a time.
                        State.Metrics.RemoveRange(counted + accepted, State.Metrics.Count - counted - accepted);
                        (_checkpoint, _checkpointEpoch) = checkpointBefore;
                        foreach (var chunk in batch.Take(accepted))
                            CheckpointTaken(chunk);
                        _stopRequest ??= (decision.StopAs, decision.Reason ?? "stopped by the sweep");
                        continue;
                    }
                }
                if (last)
                {
                    await chunks.StopAsync();
                    leases.Dispose();
                    await FinishFromEndAsync(chunks.End, deactivating);
                    return;
                }
            }
        }
        finally
        {
            // Leaving on an error or a deactivation: the training thread stops at its next epoch boundary, a program is stopped.
            await chunks.LeaveAsync();
        }
    }

    private Task FinishFromEndAsync(RunEnd end, CancellationToken deactivating)
    {
        if (end.Status == TrainingStatus.Diverged && end.Divergence is { } d)
        {
            State.DivergedAtEpoch = d.Epoch;
            State.DivergedAtStep = d.Step;
            return FinishAsync(RunStatus.Diverged, d.Reason, report: true, deactivating);
        }
        State.Result = end.Result;
        State.ModelEpoch = end.ModelEpoch;
        return FinishAsync(RunStatus.Completed, end.Note, report: true, deactivating);
    }

    private async Task FinishAsync(RunStatus status, string? reason, bool report, CancellationToken cancellationToken = default)
    {
        if (status == RunStatus.Paused)
        {
            // Not an end: the checkpoint is kept and the run continues from it when its sweep is resumed.
            await PauseHereAsync(reason, cancellationToken);
            return;
        }
        State.Status = status;
        State.Reason = reason;
        State.FinishedAt = DateTimeOffset.UtcNow;
        _finalAcknowledged = !report;
        if (report)
            await StoreFinalCheckpointIfKeptAsync();
        await WriteAsync(CancellationToken.None);
        await SaveLogAsync(force: true);
        ExperimentMetrics.RunFinished(status);
        if (report)
            await ReportFinalAsync(cancellationToken);
    }

    private async Task ReportFinalAsync(CancellationToken cancellationToken)
    {
        await ReportAsync(FinalReport(), cancellationToken);
        _finalAcknowledged = true;
    }

    private RunReport FinalReport() =>
        new(State.Number, State.Metrics.Count > 0 ? State.Metrics[^1] : null, State.Status, State.Reason, State.DivergedAtEpoch,
            State.Silo, State.Resumes, State.Result, State.Attempt, ModelRecord());

    /// <summary>The epoch record whose weights the run ended with, when not its last (patience); null otherwise.</summary>
    private EpochRecord? ModelRecord() => State.ModelEpoch is { } e ? State.Metrics.Find(m => m.Epoch == e) : null;

    private RunOutput Output => _output ??= new RunOutput(logStore,
        new RecoveringState<RunLogState>(context, logStore, "runlog", ConflictRules.Log, logger), logOptions.Value.Commands.LogChars);

    private async Task SaveLogAsync(bool force)
    {
        if (await Output.SaveAsync(force) is { } e)
            logger.LogWarning("Run {Sweep}/{Number}: storing its log failed ({Message})", State.SweepId, State.Number, e.Message);
    }

    private RunView View()
    {
        var m = State.Metrics;
        double? best = null;
        foreach (var e in m)
        {
            if (double.IsFinite(e.ValLoss) && (best is null || e.ValLoss < best))
                best = e.ValLoss;
        }
        var final = ModelRecord() ?? (m.Count > 0 ? m[^1] : null);
        return new RunView(State.SweepId ?? "", State.Number, State.Config, State.Status, State.Reason, m.Count, best,
            final?.ValLoss, final?.ValAccuracy, State.DivergedAtEpoch,
            StoredCheckpointEpoch, State.Silo, State.Resumes, State.Kind, State.Result, State.Attempt, State.ModelEpoch);
    }
}
