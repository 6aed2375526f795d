namespace ExperimentCluster.Tuning;

/// <summary>Hyperband as several ASHA brackets (Li et al. 2018; the asynchronous form Optuna uses). With s_max =
/// floor(log_eta(max / min)), bracket b (0..s_max) has its first rung at min_epochs * eta^b: bracket 0 stops hardest, the
/// last one hardly at all. Bracket b weighs ceil((s_max + 1) * eta^(s_max - b) / (s_max - b + 1)) as in Hyperband's
/// original allocation, and a trial's bracket is a pure function of its number that gives every bracket its share of any
/// stretch of trials (<see cref="BracketOf"/>). Trials compete only with trials of their own bracket. Settings: min_epochs
/// (1), reduction_factor (3), max_epochs (the sweep's epochs). It records the union of the brackets' rungs.</summary>
public sealed class HyperbandRule : IStoppingRule
{
    public HyperbandRule(int minEpochs = 1, int reductionFactor = 3, int? maxEpochs = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        MinEpochs = minEpochs;
        ReductionFactor = reductionFactor;
        MaxEpochs = maxEpochs;
    }

    public int MinEpochs { get; }

    public int ReductionFactor { get; }

    public int? MaxEpochs { get; }

    private Tickets? _tickets;

    /// <summary>The number of brackets for a sweep of <paramref name="maxEpochs"/> epochs per trial.</summary>
    public int Brackets(int maxEpochs)
    {
        var top = Top(maxEpochs);
        var count = 1;
        for (long epochs = (long)MinEpochs * ReductionFactor; epochs <= top; epochs *= ReductionFactor)
        {
            count++;
        }

        return count;
    }

    /// <summary>The bracket of trial <paramref name="trialNumber"/>: 0 stops hardest. The brackets' weights make W tickets
    /// (bracket 0 holds the first weight_0, and so on); trial n takes ticket n * k mod W, where k is the whole number nearest
    /// W / golden ratio that shares no factor with W. So every W consecutive trials hold each bracket's share exactly, and the
    /// first n trials, for any n, hold it to within about one and a half trials (the steps of a golden-ratio stride spread
    /// evenly). A hash of the number, as Optuna hashes the study name and number, meets the shares only on average: the
    /// hash this rule used before put 26, 18, 11 and 5 of every 60-trial sweep's trials in brackets whose shares are 33, 15,
    /// 7 and 5: TPE + Hyperband spent 12 % more epochs than Optuna's over 80 seeds, and 2 % more with this assignment
    /// (bench/SEARCH_RESULTS.md, "Hyperband's brackets in their shares").</summary>
    public int BracketOf(int trialNumber, int maxEpochs)
    {
        var tickets = TicketsFor(maxEpochs);
        var ticket = (long)((ulong)(uint)trialNumber * (ulong)tickets.Stride % (ulong)tickets.Total);
        for (var b = 0; b < tickets.Weights.Length; b++)
        {
            if (ticket < tickets.Weights[b])
            {
                return b;
            }

            ticket -= tickets.Weights[b];
        }

        return tickets.Weights.Length - 1;
    }

    public StopDecision Decide(StoppingContext context, int trialNumber, int epoch)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bracket = BracketOf(trialNumber, context.MaxEpochs);
        return SuccessiveHalving.Decide(
            "hyperband",
            context,
            trialNumber,
            epoch,
            Rungs(bracket, context.MaxEpochs),
            ReductionFactor,
            other => BracketOf(other, context.MaxEpochs),
            $"hyperband/{MinEpochs}/{ReductionFactor}/{MaxEpochs}/{context.MaxEpochs}",
            $" of bracket {bracket}");
    }

    public IReadOnlySet<int>? RecordedEpochs(int maxEpochs) =>
        Enumerable.Range(0, Brackets(maxEpochs)).SelectMany(b => Rungs(b, maxEpochs)).ToHashSet();

    internal int[] Rungs(int bracket, int maxEpochs)
    {
        var first = (long)MinEpochs;
        for (var b = 0; b < bracket; b++)
        {
            first *= ReductionFactor;
        }

        return first >= Top(maxEpochs) ? [] : SuccessiveHalving.Rungs((int)first, ReductionFactor, Top(maxEpochs));
    }

    internal static HyperbandRule FromSettings(Settings settings) => new(
        settings.Int("min_epochs", 1, v => v >= 1, "at least 1"),
        settings.Int("reduction_factor", 3, v => v >= 2, "at least 2"),
        settings.OptionalInt("max_epochs", v => v >= 1, "at least 1"));

    private int Top(int maxEpochs) => Math.Min(MaxEpochs ?? maxEpochs, maxEpochs);

    /// <summary>The tickets for the last <paramref name="maxEpochs"/> asked about. <see cref="BracketOf"/> runs once per
    /// competing trial at every rung decision, so the weights and the stride are not worked out again each time; the cache
    /// is replaced whole, so a concurrent reader sees one complete set or the other.</summary>
    private Tickets TicketsFor(int maxEpochs)
    {
        if (_tickets is { } cached && cached.MaxEpochs == maxEpochs)
        {
            return cached;
        }

        var weights = Weights(Brackets(maxEpochs));
        var total = weights.Sum();
        var tickets = new Tickets(maxEpochs, weights, total, Stride(total));
        _tickets = tickets;
        return tickets;
    }

    /// <summary>The whole number nearest total / golden ratio with no factor in common with total (1 for a total below 3).</summary>
    private static long Stride(long total)
    {
        var stride = Math.Max(1, (long)Math.Round(total / ((1 + Math.Sqrt(5)) / 2)));
        while (total > 2 && GreatestCommonDivisor(stride, total) != 1)
        {
            stride++;
        }

        return stride;
    }

    private static long GreatestCommonDivisor(long a, long b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);

    private long[] Weights(int brackets)
    {
        var sMax = brackets - 1;
        var weights = new long[brackets];
        for (var b = 0; b < brackets; b++)
        {
            var s = sMax - b;
            long power = 1;
            for (var i = 0; i < s; i++)
            {
                power *= ReductionFactor;
            }

            weights[b] = ((brackets * power) + s) / (s + 1);
        }

        return weights;
    }

    /// <summary>Hyperband's tickets for trials of <paramref name="MaxEpochs"/> epochs: each bracket's weight, their total,
    /// and the stride trial numbers step through them by.</summary>
    private sealed record Tickets(int MaxEpochs, long[] Weights, long Total, long Stride);
}
