using ExperimentCluster.Contracts;
using ExperimentCluster.SweepModel;
using ExperimentCluster.Training.Data;
using ExperimentCluster.Tuning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace ExperimentCluster.Grains;

/// <summary>
/// The coordinator of one sweep. It asks the search strategy for configurations, keeps at most the concurrency
/// limit of runs going, answers each run's report with the early-stopping rule's decision, and aggregates.
/// Reentrant so that many runs' reports share one coalesced state write; every state change happens between
/// awaits, on the grain's single thread.
/// </summary>
[GrainType("sweep")]
[Reentrant]
public sealed partial class SweepGrain(
    [PersistentState("sweep", StorageNames.Experiments)] IPersistentState<SweepState> store,
    IOptions<ExperimentOptions> options,
    DataFiles files,
    CommandTrialRunner commands,
    IGrainContext context,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
{
    private const string ReminderName = "wake";

    private SweepState State => store.State;

    private SweepDefinition? _definition;
    private ISearchStrategy? _strategy;
    private IStoppingRule? _rule;
    private IReadOnlySet<int>? _ruleEpochs;

    // The epochs whose values are recorded: the rule's and the strategy's (null: every epoch).
    private IReadOnlySet<int>? _recordedEpochs;

    private readonly SweepHistory _history = new();
    private Task<SubmitResult>? _submission;
    private SweepEventBuffer _events = new(0);

    private readonly OpenRuns _open = new();
    private bool _pumping;
    private bool _pumpAgain;
    private IGrainTimer? _timer;
    private DateTime _lastWake = DateTime.MinValue;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A sweep being deleted needs its runs too: the delete clears each of them.
        if (State.Stored)
            await LoadRunsAsync();
        if (!State.Exists)
            return;
        // The count is the sum of the runs' epochs by definition (see RecordEpoch); a state stored by a version that
        // counted reports instead is healed here.
        State.EpochsReported = State.Runs.Where(r => r.Kind is null).Sum(r => (long)r.Epochs);
        _events = new SweepEventBuffer(State.EpochsReported + State.Runs.Count(r => r.Status.IsFinished()) + State.RetriedEvents);
        try
        {
            Load(SweepDefinition.Parse(CurrentJson));
        }
        catch (Exception e) when (e is SweepException or TuningException or ArgumentException)
        {
            // Stored before today's checks refused it (a grid too large to enumerate): the sweep cannot go on, but it
            // stays readable, and it must not fail every activation (and with it every list of sweeps).
            if (State.Status == SweepStatus.Running)
                await FailAsync("the stored sweep no longer passes the checks: " + e.Message);
            return;
        }
        if (State.Status == SweepStatus.Running && options.Value.AutoResume)
            StartTimer(TimeSpan.Zero);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (Writes.Pending)
            await Writes.PersistAsync();
        await CheckpointDropsDoneAsync();
    }

    public async Task<SubmitResult> SubmitAsync(string sweepJson)
    {
        // Every way in (the CLI, the API, a client of our own) ends here: the id rule is enforced once more where it is stored.
        if (SweepId.Problem(Id) is { } badId)
            return new SubmitResult(null, "id: " + badId);
        // The data checks await off this grain's turn; a second submission of the same id waits for the first to end.
        while (_submission is { IsCompleted: false } inFlight)
            await Task.WhenAny(inFlight);
        _submission = SubmitOnceAsync(sweepJson);
        return await _submission;
    }

    private async Task<SubmitResult> SubmitOnceAsync(string sweepJson)
    {
        if (State.Deleting)
            await FinishDeletingAsync();
        if (State.Exists)
        {
            return State.SweepJson == sweepJson
                ? new SubmitResult(SweepViews.Sweep(Id, State), null)
                : new SubmitResult(null, $"id: a different sweep named '{Id}' exists already; choose another id");
        }
        SweepDefinition definition;
        List<WarmStartRun> reused;
        try
        {
            definition = SweepDefinition.Parse(sweepJson);
            if (definition.Command is not null && !commands.Allowed)
                throw new SweepException("command", CommandTrialRunner.Refusal);
            // The checks that read data sets (a CSV's columns, batch sizes against its rows) run on this silo, where runs
            // train, and on the thread pool: loading a large file must not hold the coordinator's turn.
            await Task.Run(() => definition.CheckData(files));
            reused = await ReadWarmStartAsync(definition);
        }
        catch (SweepException e)
        {
            return new SubmitResult(null, e.Message);
        }
        catch (Exception e) when (e is TuningException or ArgumentException or InvalidOperationException or IOException or FormatException or OverflowException)
        {
            // Orleans cannot carry these types to the caller (the CLI died of a CodecNotFoundException): the answer is
            // the error text, as for any bad sweep file.
            logger.LogWarning("Sweep {Sweep}: the submission could not be checked: {Message}", Id, e.Message);
            return new SubmitResult(null, e is TuningException t ? $"{t.Field}: {t.Reason}" : "$: " + e.Message);
        }
        State.Id = Id;
        State.Name = definition.Name;
        State.SweepJson = sweepJson;
        State.Status = SweepStatus.Running;
        State.PlannedRuns = definition.MaxRuns;
        State.CreatedAt = DateTimeOffset.UtcNow;
        State.WarmStart = reused.Count > 0 ? reused : null;
        Load(definition);
        await Writes.PersistAsync();
        await GrainFactory.SweepIndex().AddAsync(Id);
        await this.RegisterOrUpdateReminder(ReminderName, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        StartTimer(options.Value.WakeInterval);
        await PumpAsync();
        return new SubmitResult(SweepViews.Sweep(Id, State), null);
    }

    public async Task<RunDecision> ReportAsync(RunReport report)
    {
        var (decision, persist) = Apply(report);
        if (persist)
            await Writes.PersistAsync();
        return decision;
    }

    public async Task<EpochsDecision> ReportEpochsAsync(IReadOnlyList<RunReport> reports)
    {
        var persist = false;
        for (var i = 0; i < reports.Count; i++)
        {
            var (decision, mustPersist) = Apply(reports[i]);
            persist |= mustPersist;
            if (decision.Stop)
            {
                if (persist)
                    await Writes.PersistAsync();
                return new EpochsDecision(decision, i + 1);
            }
        }
        if (persist)
            await Writes.PersistAsync();
        return new EpochsDecision(RunDecision.Continue, reports.Count);
    }

    /// <summary>One report's effect on the sweep and its answer; whether the state must be stored before the answer leaves.</summary>
    private (RunDecision Decision, bool Persist) Apply(RunReport report)
    {
        ExperimentMetrics.ReportReceived();
        if (!State.Exists || report.Number < 0 || report.Number >= State.Runs.Count)
            return (new RunDecision(true, RunStatus.Cancelled, "the sweep does not know this run"), false);
        var run = State.Runs[report.Number];
        if (report.Attempt != run.Attempt)
            return (StaleAttempt(run), false);
        var measurement = run.Kind is not null;
        // Recorded before anything else, whatever the report's status: a run sends its last epoch (or the epoch where it
        // diverged) together with its final status in one report, and that epoch belongs in the stream and the count
        // like any other.
        var before = run.Epochs;
        var mustPersist = report.Epoch is { } epoch && RecordEpoch(run, epoch);
        if (run.Status.IsFinished())
        {
            if (run.Epochs != before)
                Writes.Changed();
            return (new RunDecision(true, run.Status, run.Reason), false);
        }

        if (PauseReply(run, report, mustPersist) is { } paused)
            return paused;
        var decision = RunDecision.Continue;
        if (report.Status == RunStatus.Running && run.Status == RunStatus.Queued)
        {
            run.Status = RunStatus.Running;
            Refresh(run);
        }
        run.Silo = report.Silo ?? run.Silo;
        run.Resumes = Math.Max(run.Resumes, report.Resumes);

        if (report.Status.IsFinished())
        {
            run.Result = report.Result;
            if (report.Status == RunStatus.Completed && report.Model is { } model)
            {
                // The run's weights are this earlier epoch's (patience): its final values, and its rank, are that epoch's.
                run.ModelEpoch = model.Epoch;
                run.FinalValLoss = model.ValLoss;
                run.FinalValAccuracy = model.ValAccuracy;
            }
            Finish(run, report.Status, report.Reason, report.DivergedAtEpoch);
            Writes.Changed();
            // Refill in batches of an eighth of the limit: every pump asks the strategy (which reads the whole
            // history) and writes the sweep, so one pump per finished run would make large sweeps quadratic.
            // Runs queue for the silos' training slots meanwhile, and the timer pumps whatever is left. A finished
            // measurement refills at once: suggestions may be waiting for it.
            var room = _definition!.Concurrency - _open.Training(State.Runs);
            if (measurement || room >= Math.Max(1, _definition.Concurrency / 8))
                _ = PumpQuietlyAsync();
            return (new RunDecision(true, run.Status, run.Reason), false);
        }
        if (State.Status == SweepStatus.Cancelled)
        {
            decision = new RunDecision(true, RunStatus.Cancelled, "the sweep was cancelled");
        }
        else if (!measurement && report.Epoch is { } e2 && _rule is not null && (_ruleEpochs is null || _ruleEpochs.Contains(e2.Epoch)))
        {
            var verdict = _rule.Decide(_history.Stopping(State.Runs, _definition!.MaxEpochs, _definition.Objective), _history.TrialOf(State.Runs, run), e2.Epoch);
            if (verdict.Stop)
            {
                var reason = $"{verdict.Rule ?? _definition!.Rule}"
                    + (verdict.Rung is { } rung ? $" at rung {rung}" : "") + $": {verdict.Reason}";
                decision = new RunDecision(true, RunStatus.Stopped, reason);
            }
        }
        Writes.Changed();
        return (decision, mustPersist);
    }

    public async Task<SweepView> CancelAsync()
    {
        if (!State.Exists || State.Status is not (SweepStatus.Running or SweepStatus.Paused))
            return SweepViews.Sweep(Id, State);
        State.Status = SweepStatus.Cancelled;
        State.FinishedAt = DateTimeOffset.UtcNow;
        // A paused run trains nothing and reports nothing more: the sweep knows its end at once, and the run is told.
        var paused = _open.Where(State.Runs, r => r.Status == RunStatus.Paused);
        foreach (var run in _open.Where(State.Runs, r => !r.Started || r.Status == RunStatus.Paused))
            Finish(run, RunStatus.Cancelled, "the sweep was cancelled", null);
        var active = _open.Where(State.Runs, _ => true).Concat(paused).ToList();
        await Writes.PersistAsync();
        await Task.WhenAll(active.Select(r => StopRunAsync(r.Number)));
        await this.UnregisterReminderQuietly(ReminderName, logger);
        _timer?.Dispose();
        return SweepViews.Sweep(Id, State);
    }

    public async Task<SweepView> ResumeAsync()
    {
        if (!State.Exists)
            return SweepViews.Sweep(Id, State);
        if (State.Status == SweepStatus.Paused)
            await UnpauseAsync();
        if (State.Status == SweepStatus.Running)
        {
            StartTimer(options.Value.WakeInterval);
            await WakeRunsAsync();
            await PumpAsync();
        }
        return SweepViews.Sweep(Id, State);
    }

    [NoProfiling]
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!State.Exists || State.Status != SweepStatus.Running)
        {
            await this.UnregisterReminderQuietly(reminderName, logger);
            return;
        }
        if (options.Value.AutoResume)
            StartTimer(TimeSpan.Zero);
    }

    private void Load(SweepDefinition definition)
    {
        _definition = WithEditedBudget(definition);
        _strategy = _definition.CreateStrategy();
        _rule = _definition.CreateRule();
        _ruleEpochs = _rule.RecordedEpochs(_definition.MaxEpochs);
        _recordedEpochs = EpochSet.Union(_ruleEpochs, _strategy.RecordedEpochs(_definition.MaxEpochs));
    }

    /// <summary>
    /// Records an epoch the sweep has not seen (reports are idempotent: an older or repeated one changes nothing) and
    /// adds its event. Returns whether the early-stopping rule's input changed, which must be stored before a decision; a
    /// value only the strategy reads is written with the next flush (its suggestions are stored when they are made, so a
    /// value lost with a crash changes nothing already decided).
    /// The count grows by the epochs this one moves the run forward, not by one: after the sweep's activation was lost
    /// with its silo, the stored run may be a few epochs behind the run's own trajectory, and counting the difference
    /// keeps EpochsReported equal to the sum of the runs' epochs (what the export holds) instead of losing those.
    /// </summary>
    private bool RecordEpoch(SweepRun run, EpochRecord epoch)
    {
        if (epoch.Epoch <= run.Epochs)
            return false;
        var measurement = run.Kind is not null;
        if (!measurement)
            State.EpochsReported += epoch.Epoch - run.Epochs;
        run.Epochs = epoch.Epoch;
        _buckets.Touch(run.Number);
        _events.Add(run.Number, RunStatus.Running, epoch, null);
        // A measurement's chunks are not epochs of a model being scored: nothing to rank, nothing for the rule.
        if (measurement)
            return false;
        run.FinalValLoss = epoch.ValLoss;
        run.FinalValAccuracy = epoch.ValAccuracy;
        run.BestValLoss = BestWith(run.BestValLoss, epoch);
        if (_recordedEpochs is not null && !_recordedEpochs.Contains(epoch.Epoch))
            return false;
        var value = new RungValue(epoch.Epoch, epoch.ValLoss, State.NextSequence++);
        run.Values.Add(value);
        _history.Recorded(State.Runs, run, value);
        // The rule's input must be stored before its decision leaves: a restart then replays it exactly.
        return _ruleEpochs is null || _ruleEpochs.Contains(epoch.Epoch);
    }

    /// <summary>A run's best validation loss once <paramref name="epoch"/> is counted (a non-finite loss is no best).</summary>
    private static double? BestWith(double? best, EpochRecord epoch) =>
        double.IsFinite(epoch.ValLoss) && (best is null || epoch.ValLoss < best) ? epoch.ValLoss : best;

    private void Finish(SweepRun run, RunStatus status, string? reason, int? divergedAt)
    {
        run.Status = status;
        run.Reason = reason;
        run.DivergedAtEpoch = divergedAt ?? run.DivergedAtEpoch;
        _open.Finished(run.Number);
        _buckets.Touch(run.Number);
        Refresh(run);
        _events.Add(run.Number, status, null, reason);
        DropUnkeptCheckpoints(run);
    }

    private SearchContext Context() =>
        new(_definition!.Space, _definition.SearchSeed, Trials(), _definition.MaxRuns, _definition.MaxEpochs)
        {
            Measurements = _history.Measurements(State.Runs),
            Prior = Prior(),
            Objective = _definition.Objective,
        };

    private List<Trial> Trials() => _history.Trials(State.Runs);

    private void Refresh(SweepRun run) => _history.Refresh(State.Runs, run);
}
