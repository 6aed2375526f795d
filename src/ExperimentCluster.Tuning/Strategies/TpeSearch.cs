using System.Globalization;
using System.Text;

namespace ExperimentCluster.Tuning;

/// <summary>Tree-structured Parzen Estimator (Bergstra et al. 2011), univariate as Optuna's default TPE sampler.
/// <para>The first n_startup trials (counted as trials with a result) are drawn exactly as <see cref="RandomSearch"/> draws
/// them. After that the trials with a result are ranked as Optuna ranks them: Completed by final value; then Stopped, later
/// stops first, each by its last reported value; then Diverged (and any non-finite value) last. The best
/// min(ceil(gamma * n), 25) form the good group, the rest the bad group. For each parameter independently, a Parzen
/// estimator l(x) is fitted to the good values and g(x) to the bad ones (truncated Gaussians on the real line, log space for
/// log domains, integers widened by half a step; for lists, the smoothed counts (prior_weight / k + weighted count) /
/// (prior_weight + total weight)); n_candidates draws from l are scored by log l(x) - log g(x) and the best is kept.
/// Observations are weighted as Optuna does: all 1 up to 25, beyond that the oldest ramp down linearly.</para>
/// <para>Trials reused from earlier sweeps (<see cref="SearchContext.Prior"/>) are ranked with this sweep's and count toward
/// n_startup. Running, Failed and Cancelled trials are ignored. The draws of trial n come from a generator keyed by (seed, n,
/// parameter), so the answer is a pure function of the seed and the history.</para>
/// <para>On a finite space a point already in the history is never proposed again (redrawn as <see cref="RandomSearch"/>
/// does), and the search finishes when the space is exhausted.</para>
/// <para>Settings: n_startup (10), gamma (0.1), n_candidates (24), prior_weight (1.0).</para></summary>
public sealed class TpeSearch : ISearchStrategy
{
    private const ulong Salt = 0x5450455F53414D50UL;
    private const int MaxGood = 25;

    public TpeSearch(int startupTrials = 10, double gamma = 0.1, int candidates = 24, double priorWeight = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(startupTrials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        if (!(gamma > 0 && gamma < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma is a fraction between 0 and 1");
        }

        if (!(priorWeight > 0 && double.IsFinite(priorWeight)))
        {
            throw new ArgumentOutOfRangeException(nameof(priorWeight), priorWeight, "the prior weight is positive");
        }

        StartupTrials = startupTrials;
        Gamma = gamma;
        Candidates = candidates;
        PriorWeight = priorWeight;
    }

    public int StartupTrials { get; }

    public double Gamma { get; }

    public int Candidates { get; }

    public double PriorWeight { get; }

    public void Validate(SearchSpace space) => ArgumentNullException.ThrowIfNull(space);

    public double PlannedTrials(SearchSpace space, int? trials) => Budget.Given(trials, "tpe");

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count)
    {
        var n = Budget.Remaining(context, count);
        // Trials reused from earlier sweeps (a warm start) are results like this sweep's own: they count toward the
        // start-up, so a warm-started TPE models from its first trial instead of sampling at random.
        var ranked = Rank(context.Known);
        var startup = ranked.Count < StartupTrials;
        var goodCount = GoodCount(ranked.Count);
        var good = ranked.Take(goodCount).OrderBy(t => t.Number).ToArray();
        var bad = ranked.Skip(goodCount).OrderBy(t => t.Number).ToArray();
        var finite = FiniteSpace.TryCreate(context.Space);
        var taken = finite?.Taken(context.Known);
        var result = new List<IReadOnlyDictionary<string, string>>(n);
        for (var number = context.History.Count; result.Count < n; number++)
        {
            var config = Fresh.Pick(
                finite,
                taken,
                attempt => startup
                    ? SpaceSampler.RandomConfig(context.Space, context.Seed, number, attempt)
                    : Draw(context, number, attempt, good, bad),
                context.Seed,
                number);
            if (config is null)
            {
                break;
            }

            result.Add(config);
        }

        return result;
    }

    private TrialConfig Draw(SearchContext context, int number, int attempt, Trial[] good, Trial[] bad)
    {
        var values = new List<KeyValuePair<string, string>>(context.Space.Parameters.Count);
        foreach (var parameter in context.Space.Parameters)
        {
            var rng = attempt == 0
                ? SplitMix64.For(context.Seed, Salt, (ulong)number, SplitMix64.Hash(parameter.Name))
                : SplitMix64.For(context.Seed, Salt, (ulong)number, SplitMix64.Hash(parameter.Name), (ulong)attempt);
            values.Add(new(parameter.Name, SampleParameter(parameter, good, bad, ref rng)));
        }

        return new TrialConfig(values);
    }

    public bool IsFinished(SearchContext context) => Budget.Spent(context) || Fresh.Exhausted(context);

    public string Explain(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ranked = Rank(context.Known);
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"TPE (seed {context.Seed}): {context.History.Count} of {context.MaxTrials} trials started, {ranked.Count} with a result{(context.Prior.Count > 0 ? $" ({context.Prior.Count} reused from earlier sweeps)" : "")}. ");
        if (ranked.Count < StartupTrials)
        {
            text.Append(CultureInfo.InvariantCulture, $"Sampling at random until {StartupTrials} have a result.");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"Modelling the best {GoodCount(ranked.Count)} against the other {ranked.Count - GoodCount(ranked.Count)}.");
        }

        if (ranked.Count > 0 && ranked[0].State == TrialState.Completed)
        {
            text.Append(CultureInfo.InvariantCulture, $" Best so far: {(ranked[0].Number < 0 ? "a reused trial" : $"trial {ranked[0].Number}")}, {RuleHistory.Format(LastValue(ranked[0])!.Value.Value)}, {TrialConfig.From(ranked[0].Config)}.");
        }

        return text.ToString();
    }

    internal static TpeSearch FromSettings(Settings settings) => new(
        settings.Int("n_startup", 10, v => v >= 1, "at least 1"),
        settings.Double("gamma", 0.1, v => v > 0 && v < 1, "between 0 and 1"),
        settings.Int("n_candidates", 24, v => v >= 1, "at least 1"),
        settings.Double("prior_weight", 1.0, v => v > 0, "positive"));

    /// <summary>Trials with a result, best first (Optuna's order for single-objective TPE with pruned trials).</summary>
    internal static List<Trial> Rank(IReadOnlyList<Trial> history)
    {
        var ranked = new List<(int Group, double Key1, double Key2, Trial Trial)>();
        foreach (var trial in history)
        {
            var last = LastValue(trial);
            switch (trial.State)
            {
                case TrialState.Completed when last is { Value: var v } && double.IsFinite(v):
                    ranked.Add((0, v, 0, trial));
                    break;
                case TrialState.Stopped when last is { Value: var v } && double.IsFinite(v):
                    ranked.Add((1, -last.Value.Epoch, v, trial));
                    break;
                case TrialState.Completed or TrialState.Stopped or TrialState.Diverged:
                    ranked.Add((2, 0, 0, trial));
                    break;
                default:
                    break;
            }
        }

        return ranked
            .OrderBy(r => r.Group).ThenBy(r => r.Key1).ThenBy(r => r.Key2).ThenBy(r => r.Trial.Number)
            .Select(r => r.Trial)
            .ToList();
    }

    /// <summary>The final value, or the last recorded one (and its epoch) when there is no final value.</summary>
    private static (int Epoch, double Value)? LastValue(Trial trial)
    {
        var lastRecorded = trial.Values.Count > 0 ? trial.Values.MaxBy(v => v.Epoch) : null;
        if (trial.FinalValue is { } final)
        {
            return (lastRecorded?.Epoch ?? 0, final);
        }

        return lastRecorded is null ? null : (lastRecorded.Epoch, lastRecorded.Value);
    }

    private int GoodCount(int observed) => Math.Min((int)Math.Ceiling(Gamma * observed), MaxGood);

    /// <summary>Optuna's default weights: equal for the newest 25, a linear ramp from 1/n up for the older ones.</summary>
    private static double[] Weights(int n)
    {
        var weights = new double[n];
        var ramp = Math.Max(0, n - 25);
        for (var i = 0; i < n; i++)
        {
            weights[i] = i >= ramp ? 1.0 : ramp == 1 ? 1.0 / n : (1.0 / n) + ((1.0 - (1.0 / n)) * i / (ramp - 1));
        }

        return weights;
    }

    private string SampleParameter(Parameter parameter, Trial[] good, Trial[] bad, ref SplitMix64 rng) =>
        parameter.Domain is ValuesDomain values
            ? SampleCategorical(parameter.Name, values, good, bad, ref rng)
            : SampleNumeric(parameter.Name, parameter.Domain, good, bad, ref rng);

    private string SampleNumeric(string name, Domain domain, Trial[] good, Trial[] bad, ref SplitMix64 rng)
    {
        var (low, high) = SpaceSampler.Bounds(domain);
        var l = Estimator(name, domain, good, low, high);
        var g = Estimator(name, domain, bad, low, high);
        var bestScore = double.NegativeInfinity;
        string? best = null;
        for (var i = 0; i < Candidates; i++)
        {
            var text = SpaceSampler.FromReal(domain, l.Sample(ref rng));
            SpaceSampler.TryToReal(domain, text, out var x);
            var score = l.LogDensity(x) - g.LogDensity(x);
            if (best is null || score > bestScore)
            {
                (best, bestScore) = (text, score);
            }
        }

        return best!;
    }

    private ParzenEstimator Estimator(string name, Domain domain, Trial[] trials, double low, double high)
    {
        var observations = new List<double>();
        for (var i = 0; i < trials.Length; i++)
        {
            if (trials[i].Config.TryGetValue(name, out var text) && SpaceSampler.TryToReal(domain, text, out var x))
            {
                observations.Add(x);
            }
        }

        return new ParzenEstimator(observations, Weights(observations.Count), low, high, PriorWeight);
    }

    private string SampleCategorical(string name, ValuesDomain domain, Trial[] good, Trial[] bad, ref SplitMix64 rng)
    {
        var l = CategoricalProbabilities(name, domain, good);
        var g = CategoricalProbabilities(name, domain, bad);
        var bestScore = double.NegativeInfinity;
        var best = -1;
        for (var i = 0; i < Candidates; i++)
        {
            var u = rng.NextDouble();
            var choice = 0;
            for (var acc = l[0]; acc <= u && choice < l.Length - 1; acc += l[++choice])
            {
            }

            var score = Math.Log(l[choice]) - Math.Log(g[choice]);
            if (best < 0 || score > bestScore)
            {
                (best, bestScore) = (choice, score);
            }
        }

        return domain.Values[best];
    }

    private double[] CategoricalProbabilities(string name, ValuesDomain domain, Trial[] trials)
    {
        var k = domain.Values.Count;
        var mass = Enumerable.Repeat(PriorWeight / k, k).ToArray();
        var observed = trials
            .Select(t => t.Config.TryGetValue(name, out var text) ? domain.IndexOf(text) : -1)
            .Where(index => index >= 0)
            .ToArray();
        var weights = Weights(observed.Length);
        for (var i = 0; i < observed.Length; i++)
        {
            mass[observed[i]] += weights[i];
        }

        var total = mass.Sum();
        return mass.Select(m => m / total).ToArray();
    }
}
