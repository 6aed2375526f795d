namespace ExperimentCluster.Tuning;

/// <summary>Median stopping (Golovin et al. 2017, "Google Vizier"): at a check epoch e, stop the trial when its best value
/// so far is worse than the median of the other trials' running averages up to e. Only trials that had reported e before
/// this report count (lower sequence number), and at least min_trials of them must have. Checks are every interval-th
/// epoch after warmup_epochs and before the last epoch.
/// Settings: warmup_epochs (1): no stop at or before this epoch; min_trials (5); interval (1).
/// Size: the running average needs every checked epoch's value, so the rule records every interval-th epoch: with the
/// default interval 1 the sweep stores runs x epochs numbers (27 x 60 = 1,620 for the digits benchmark, a few tens of
/// kilobytes); raise interval to bound it on long runs. With interval k the running average is over the recorded epochs.</summary>
public sealed class MedianStoppingRule : IStoppingRule
{
    public MedianStoppingRule(int warmupEpochs = 1, int minTrials = 5, int interval = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupEpochs);
        ArgumentOutOfRangeException.ThrowIfLessThan(minTrials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        WarmupEpochs = warmupEpochs;
        MinTrials = minTrials;
        Interval = interval;
    }

    public int WarmupEpochs { get; }

    public int MinTrials { get; }

    public int Interval { get; }

    public StopDecision Decide(StoppingContext context, int trialNumber, int epoch)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (epoch <= WarmupEpochs || epoch >= context.MaxEpochs || epoch % Interval != 0)
        {
            return StopDecision.Continue("median", $"epoch {epoch} is not a check (warm-up {WarmupEpochs}, every {Interval}, before {context.MaxEpochs})");
        }

        var trial = RuleHistory.Find(context.History, trialNumber);
        var own = trial is null ? null : RuleHistory.At(trial, epoch);
        if (own is null)
        {
            return StopDecision.Continue("median", $"no value recorded at epoch {epoch}");
        }

        var best = trial!.Values.Where(v => v.Epoch <= epoch).Min(v => RuleHistory.Loss(v.Value));
        var averages = new List<double>();
        foreach (var other in context.History)
        {
            if (other.Number != trialNumber && RuleHistory.At(other, epoch) is { } theirs && theirs.Sequence < own.Sequence)
            {
                averages.Add(other.Values.Where(v => v.Epoch <= epoch).Average(v => RuleHistory.Loss(v.Value)));
            }
        }

        var check = (epoch / Interval) - 1 - (WarmupEpochs / Interval);
        if (averages.Count < MinTrials)
        {
            return new StopDecision(false, "median", check, $"epoch {epoch}: {averages.Count} other trials reported it, {MinTrials} needed");
        }

        var median = Median(averages);
        var text = $"epoch {epoch}: best so far {RuleHistory.Format(best)} vs median running average {RuleHistory.Format(median)} of {averages.Count} trials";
        return new StopDecision(best > median, "median", check, text);
    }

    public IReadOnlySet<int>? RecordedEpochs(int maxEpochs) =>
        Interval == 1 ? null : Enumerable.Range(1, Math.Max(0, maxEpochs / Interval)).Select(k => k * Interval).ToHashSet();

    internal static MedianStoppingRule FromSettings(Settings settings) => new(
        settings.Int("warmup_epochs", 1, v => v >= 0, "0 or more"),
        settings.Int("min_trials", 5, v => v >= 1, "at least 1"),
        settings.Int("interval", 1, v => v >= 1, "at least 1"));

    private static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
