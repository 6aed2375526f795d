namespace ExperimentCluster.Tuning;

/// <summary>Asynchronous successive halving. Rungs at min_epochs * reduction_factor^k below max_epochs; at each rung a trial
/// continues only when it is in the best 1/reduction_factor of the values reported at that rung before it (see
/// <see cref="SuccessiveHalving"/>). Settings: min_epochs (1), reduction_factor (3), max_epochs (the sweep's epochs).
/// It records only the rung epochs.</summary>
public sealed class AshaRule : IStoppingRule
{
    public AshaRule(int minEpochs = 1, int reductionFactor = 3, int? maxEpochs = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        MinEpochs = minEpochs;
        ReductionFactor = reductionFactor;
        MaxEpochs = maxEpochs;
    }

    public int MinEpochs { get; }

    public int ReductionFactor { get; }

    /// <summary>The top of the rung ladder; null means the sweep's epochs per trial.</summary>
    public int? MaxEpochs { get; }

    public StopDecision Decide(StoppingContext context, int trialNumber, int epoch)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rungs = SuccessiveHalving.Rungs(MinEpochs, ReductionFactor, Math.Min(MaxEpochs ?? context.MaxEpochs, context.MaxEpochs));
        return SuccessiveHalving.Decide("asha", context, trialNumber, epoch, rungs, ReductionFactor, _ => 0, "asha");
    }

    public IReadOnlySet<int>? RecordedEpochs(int maxEpochs) =>
        SuccessiveHalving.Rungs(MinEpochs, ReductionFactor, Math.Min(MaxEpochs ?? maxEpochs, maxEpochs)).ToHashSet();

    internal static AshaRule FromSettings(Settings settings) => new(
        settings.Int("min_epochs", 1, v => v >= 1, "at least 1"),
        settings.Int("reduction_factor", 3, v => v >= 2, "at least 2"),
        settings.OptionalInt("max_epochs", v => v >= 1, "at least 1"));
}
