namespace ExperimentCluster.Tuning;

/// <summary>Median stopping: at a check epoch e, stop the trial when its best value so far is worse than a median of other
/// trials' values at e. What the median is of depends on <see cref="Mode"/>:
/// <list type="bullet">
/// <item>optuna (the default; Optuna's MedianPruner): the values at e of the trials that had finished before this report,
/// once at least min_trials (5) have finished. Measured on the digits benchmark (TPE, 10 seeds; bench/SEARCH_RESULTS.md,
/// issue 12) it trains 41 % fewer epochs than legacy (731 against 1230, median over seeds 0-9) for a best 2 to 6 % higher:
/// running trials and the high early values in running averages no longer pull the median up, and checks start at
/// epoch 1.</item>
/// <item>legacy (Golovin et al. 2017, "Google Vizier"; this rule's first definition): the running averages up to e of the
/// other trials that had reported e before this report, once at least min_trials have.</item>
/// </list>
/// Checks are every interval-th epoch after warmup_epochs and before the last epoch (stopping there saves nothing). Only
/// values with a lower report sequence count, so the decision is a pure function of the stored history.
/// Settings: mode (optuna), warmup_epochs (optuna 0, legacy 1): no stop at or before this epoch; min_trials (5); interval (1).
/// Size: the rule records every check epoch (and, in optuna mode, the last epoch): with interval 1 the sweep stores
/// runs x epochs numbers (27 x 60 = 1,620 for the digits benchmark); raise interval to bound it on long runs.</summary>
public sealed class MedianStoppingRule : IStoppingRule
{
    public MedianStoppingRule(MedianMode mode = MedianMode.Optuna, int? warmupEpochs = null, int minTrials = 5, int interval = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupEpochs ?? 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(minTrials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        Mode = mode;
        WarmupEpochs = warmupEpochs ?? DefaultWarmup(mode);
        MinTrials = minTrials;
        Interval = interval;
    }

    public MedianMode Mode { get; }

    public int WarmupEpochs { get; }

    public int MinTrials { get; }

    public int Interval { get; }

    public StopDecision Decide(StoppingContext context, int trialNumber, int epoch)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsCheck(epoch, context.MaxEpochs))
        {
            return StopDecision.Continue("median", $"epoch {epoch} is not a check (warm-up {WarmupEpochs}, every {Interval}, before {context.MaxEpochs})");
        }

        var trial = RuleHistory.Find(context.History, trialNumber);
        var own = trial is null ? null : RuleHistory.At(trial, epoch);
        if (own is null)
        {
            return StopDecision.Continue("median", $"no value recorded at epoch {epoch}");
        }

        var check = CheckIndex(epoch);
        // Only the epochs this rule records: a strategy may have the sweep record more (TPE records every epoch), and the
        // best so far and the running averages must not change with the strategy.
        var best = trial!.Values.Where(v => v.Epoch <= epoch && Records(v.Epoch, context.MaxEpochs)).Min(v => RuleHistory.Loss(v.Value));
        var optuna = Mode == MedianMode.Optuna;
        // Legacy's running averages change with every report of every trial: it scans (it is kept for comparison, not scale).
        var (count, median) = optuna
            ? MedianReferences.FinishedTrialsFromIndex(context, trialNumber, epoch, own.Sequence)
                ?? Of(MedianReferences.FinishedTrialsAt(context.History, trialNumber, epoch, context.MaxEpochs, own.Sequence))
            : Of(MedianReferences.RunningAveragesAt(context.History, trialNumber, epoch, own.Sequence, e => Records(e, context.MaxEpochs)));
        if (count < MinTrials)
        {
            var what = optuna ? "finished trials" : "other trials reported it";
            return new StopDecision(false, "median", check, $"epoch {epoch}: {count} {what}, {MinTrials} needed");
        }

        var of = optuna ? $"median value of {count} finished trials" : $"median running average of {count} trials";
        return new StopDecision(best > median, "median", check, $"epoch {epoch}: best so far {context.Objective.Text(best)} vs {of} {context.Objective.Number(median)}");
    }

    public IReadOnlySet<int>? RecordedEpochs(int maxEpochs) =>
        Interval == 1 ? null : Enumerable.Range(1, maxEpochs).Where(e => Records(e, maxEpochs)).ToHashSet();

    /// <summary>Whether this rule records <paramref name="epoch"/>: every epoch at interval 1; otherwise the checks and, in
    /// optuna mode, the last epoch (what tells a finished trial).</summary>
    private bool Records(int epoch, int maxEpochs) =>
        Interval == 1 || IsCheck(epoch, int.MaxValue) || (Mode == MedianMode.Optuna && epoch == maxEpochs);

    internal static MedianStoppingRule FromSettings(Settings settings)
    {
        var mode = settings.String("mode", "optuna", "optuna", "legacy") == "legacy" ? MedianMode.Legacy : MedianMode.Optuna;
        return new(
            mode,
            settings.Int("warmup_epochs", DefaultWarmup(mode), v => v >= 0, "0 or more"),
            settings.Int("min_trials", 5, v => v >= 1, "at least 1"),
            settings.Int("interval", 1, v => v >= 1, "at least 1"));
    }

    private static (int Count, double Median) Of(List<double> references) =>
        (references.Count, references.Count == 0 ? double.NaN : Tuning.Median.Of(references));

    /// <summary>Optuna checks from the first reported step (n_warmup_steps 0); the legacy rule skipped epoch 1.</summary>
    private static int DefaultWarmup(MedianMode mode) => mode == MedianMode.Optuna ? 0 : 1;

    /// <summary>Legacy checks every interval-th epoch counted from 0, as it always did; optuna counts from the warm-up, as
    /// Optuna's interval_steps does.</summary>
    private bool IsCheck(int epoch, int maxEpochs) =>
        epoch > WarmupEpochs && epoch < maxEpochs
        && (Mode == MedianMode.Legacy ? epoch % Interval == 0 : (epoch - WarmupEpochs) % Interval == 0);

    private int CheckIndex(int epoch) => Mode == MedianMode.Legacy
        ? (epoch / Interval) - 1 - (WarmupEpochs / Interval)
        : ((epoch - WarmupEpochs) / Interval) - 1;
}
