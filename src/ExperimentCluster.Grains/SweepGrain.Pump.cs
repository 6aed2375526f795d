using ExperimentCluster.Contracts;
using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;
using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains;

/// <summary>
/// Starting runs: while there is room under the concurrency limit and the budget, the pump takes queued runs or asks the
/// strategy for new ones, stores them before they start, and starts them; it completes the sweep when the search is done.
/// </summary>
public sealed partial class SweepGrain
{
    /// <summary>A pump that nobody awaits: a failed write is logged, and the timer's next pump tries again. A cancellation
    /// is a failure too: the Redis client cancels the commands in flight when Redis goes away.</summary>
    private async Task PumpQuietlyAsync()
    {
        try
        {
            await PumpAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning("Sweep {Sweep}: starting runs failed: {Message}", Id, e.Message);
        }
    }

    /// <summary>Starts runs while there is room under the concurrency limit and the budget; completes the sweep when the search is done.</summary>
    private async Task PumpAsync()
    {
        // A silo that only answers (a read-only command on a data folder) starts nothing: its process ends a moment
        // later, and a run it started there failed (no right to run commands, none of the working folder's data). The
        // process that trains the folder starts them when it resumes the sweep.
        if (!options.Value.AutoResume)
            return;
        if (_pumping)
        {
            _pumpAgain = true;
            return;
        }
        _pumping = true;
        try
        {
            do
            {
                _pumpAgain = false;
                await PumpOnceAsync();
            }
            while (_pumpAgain);
        }
        catch (Exception e) when (e is TuningException or ArgumentException)
        {
            // The strategy cannot plan from this sweep's file and history, and it would fail the same way on every wake:
            // the sweep ends Failed with the strategy's reason instead of waking forever.
            logger.LogWarning("Sweep {Sweep} failed: its strategy cannot plan: {Message}", Id, e.Message);
            await FailAsync(e is TuningException t ? $"{t.Field}: {t.Reason}" : e.Message);
        }
        finally
        {
            _pumping = false;
        }
    }

    private async Task PumpOnceAsync()
    {
        if (!State.Exists || State.Status != SweepStatus.Running || _definition is null || _strategy is null)
            return;
        var definition = _definition;
        var outOfTime = TimeBudgetUsed(definition);
        var active = _open.Training(State.Runs);
        // Measurements first: the suggestions they inform wait for them. None once the time is up: nothing new starts.
        if (!outOfTime)
        {
            foreach (var request in _strategy.Measurements(Context(), definition.Concurrency))
                AddRun(request.Config, definition.Seeds[0], request.Kind, request.Settings);
        }
        var pending = new Queue<SweepRun>(_open.Where(State.Runs, r => !r.Started));
        var created = new List<SweepRun>();
        if (outOfTime)
            pending = EndForTime(definition, pending);
        while (active + created.Count < definition.Concurrency)
        {
            if (pending.Count > 0)
            {
                created.Add(pending.Dequeue());
                continue;
            }
            if (outOfTime || Trials().Count >= definition.MaxRuns)
                break;
            var room = Math.Min(definition.Concurrency - active - created.Count, definition.MaxRuns - Trials().Count);
            var configs = _strategy.Suggest(Context(), Math.Max(1, room / definition.Seeds.Count));
            if (configs.Count == 0)
                break;
            foreach (var config in configs)
            {
                foreach (var seed in definition.Seeds)
                {
                    if (Trials().Count >= definition.MaxRuns)
                        break;
                    pending.Enqueue(AddRun(config, seed, null, null));
                }
            }
        }

        if (created.Count == 0)
        {
            if (active == 0 && pending.Count == 0 && (outOfTime || Trials().Count >= definition.MaxRuns || _strategy.IsFinished(Context()) || _strategy.Suggest(Context(), 1).Count == 0))
            {
                // A sweep none of whose runs could train (a program that cannot start, a missing interpreter) has no
                // answer: it ends Failed with the first run's reason rather than Completed with a failed run as its best.
                var training = State.Runs.Where(r => r.Kind is null).ToList();
                if (training.Count > 0 && training.All(r => r.Status == RunStatus.Failed))
                {
                    State.Status = SweepStatus.Failed;
                    State.Reason = $"every run failed; run {training[0].Number}: {training[0].Reason}";
                }
                else
                {
                    State.Status = SweepStatus.Completed;
                    State.Reason = TimeReason(definition, outOfTime);
                    // The search ended its plan here: a strategy that finishes early (lr-decades' plan is its longest
                    // path) would otherwise show a completed sweep at 24 of 30 runs.
                    State.PlannedRuns = training.Count;
                }
                State.FinishedAt = DateTimeOffset.UtcNow;
                await Writes.PersistAsync();
                await this.UnregisterReminderQuietly(ReminderName, logger);
                _timer?.Dispose();
            }
            return;
        }

        // The runs are stored in the sweep before they exist, so a crash between the two never loses one.
        foreach (var run in created)
            run.Started = true;
        await Writes.PersistAsync();
        await Task.WhenAll(created.Select(StartRunAsync));
    }

    /// <summary>Ends the sweep as Failed: runs not started are cancelled, running ones finish, nothing new starts.</summary>
    private async Task FailAsync(string reason)
    {
        State.Status = SweepStatus.Failed;
        State.Reason = reason;
        State.FinishedAt = DateTimeOffset.UtcNow;
        foreach (var run in _open.Where(State.Runs, r => !r.Started))
            Finish(run, RunStatus.Cancelled, "the sweep failed: " + reason, null);
        await Writes.PersistAsync();
        await this.UnregisterReminderQuietly(ReminderName, logger);
        _timer?.Dispose();
    }

    /// <summary>Stores a new queued run of this configuration and seed (a measurement when <paramref name="kind"/> is set).</summary>
    private SweepRun AddRun(IReadOnlyDictionary<string, string> config, int seed, string? kind, IReadOnlyDictionary<string, double>? settings)
    {
        var full = new Dictionary<string, string>(config, StringComparer.Ordinal)
        {
            [SweepDefinition.SeedKey] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var run = new SweepRun
        {
            Number = State.Runs.Count,
            Config = full,
            Status = RunStatus.Queued,
            Kind = kind,
            KindSettings = settings is null ? null : new Dictionary<string, double>(settings, StringComparer.Ordinal),
        };
        State.Runs.Add(run);
        _open.Opened(run.Number);
        Trials();
        return run;
    }

    private async Task StartRunAsync(SweepRun run)
    {
        try
        {
            var specJson = _definition!.SpecJsonFor(run.Config).ToJsonString();
            await GrainFactory.Run(Id, run.Number).StartAsync(new RunStart(Id, run.Number, specJson, run.Config, run.Kind, run.KindSettings, run.Attempt));
        }
        catch (Exception e)
        {
            // The wake pass retries it: a queued run is woken, and a run never started is started by its state.
            logger.LogWarning("Sweep {Sweep}: starting run {Number} failed: {Message}", Id, run.Number, e.Message);
        }
    }

    private async Task StopRunAsync(int number)
    {
        try
        {
            await GrainFactory.Run(Id, number).StopAsync(RunStatus.Cancelled, "the sweep was cancelled");
        }
        catch (Exception e)
        {
            logger.LogWarning("Sweep {Sweep}: stopping run {Number} failed: {Message}", Id, number, e.Message);
        }
    }
}
