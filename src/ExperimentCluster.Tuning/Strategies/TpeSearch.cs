using System.Globalization;
using System.Text;

namespace ExperimentCluster.Tuning;

/// <summary>Tree-structured Parzen Estimator (Bergstra et al. 2011), following Optuna's TPE sampler.
/// <para>Until n_startup trials have a result (or are running, once one has: <see cref="StartupDesign.Continues"/>), the
/// trials are the start-up design (<see cref="StartupDesign"/>: a Latin hypercube of n_startup points by default, or
/// <see cref="RandomSearch"/>'s trials). After that the
/// history is split (<see cref="TpeSplit"/>: Optuna's ranking of completed, stopped and diverged trials, the good group
/// min(ceil(gamma * n), 25), running trials with the rest under constant liar unless they are ahead of the good group at
/// the same epoch), a Parzen estimator l(x) is fitted to the
/// good group and g(x) to the rest (<see cref="ParzenEstimator"/>: prior component, Optuna's bandwidths and categorical
/// kernels, older trials weighted down), n_candidates points are drawn from l and the one with the highest
/// log l(x) - log g(x) is suggested (<see cref="TpeDraw"/>): for each parameter on its own (univariate) or for all
/// parameters at once (multivariate).</para>
/// <para>Several suggestions in one call: the ones made earlier in the call count as running trials (they are about to
/// be), so a call for 8 gives what 8 calls for 1 would give with each answer started in between, and a shorter answer is
/// a prefix of a longer one. Trials reused from earlier sweeps (<see cref="SearchContext.Prior"/>) are results like this
/// sweep's own: they count toward n_startup and join the split. The draws of trial n come from a generator keyed by (seed, n, parameter or "joint", redraw),
/// so the answer is a pure function of the seed and the history.</para>
/// <para>On a finite space a point already in the history is never proposed again (redrawn as <see cref="RandomSearch"/>
/// does), and the search finishes when the space is exhausted.</para>
/// <para>Settings: n_startup (10), gamma (0.1), n_candidates (24), prior_weight (1.0), multivariate (true),
/// constant_liar (true), startup ("latin" or "random").</para>
/// <para>Why multivariate by default (bench/SEARCH_RESULTS.md, "Issue 12: TPE"; `bench search --setups tpe`, 60 trials,
/// concurrency 1, medians of the best final validation loss, measured with independent start-up draws): multivariate 0.0214
/// against univariate 0.0254 on seeds 0-9 (the sampler before issue 12: 0.0249), and 0.0198 against 0.0196 on the unseen seeds 10-19, where univariate's worst
/// seeds were far worse (0.0342, 0.0300 against 0.0223 at most); over all 20 seeds multivariate was lower on 15.
/// The learning rate that trains well depends on the batch size and the depth, and only a joint estimator keeps such
/// pairs together.</para>
/// <para>Why constant liar by default: with 8 trials running, the 8 suggestions of a batch all came from the same l(x)
/// and fell into one neighbourhood (in a test on a line, a batch of 8 spanned 0.7 of 10 units; with the liar, 4.3); at
/// concurrency 8 the bench reached 0.0230, 0.0215 and 0.0218 (three repetitions, seeds 0-9; 0.0255 without the liar)
/// against 0.0214 one at a time, with independent start-up draws; with the Latin start-up, 0.0220, 0.0225 and 0.0229 over
/// seeds 0-79 (three repetitions) against 0.0210 one at a time, and 0.0216 to 0.0224 (six repetitions) once running trials
/// ahead of the good group count as good (<see cref="TpeSplit"/>).</para></summary>
public sealed class TpeSearch : ISearchStrategy
{
    public bool SamplesRanges => true;

    private const ulong Salt = 0x5450455F53414D50UL;
    private const ulong JointSalt = 0x5450455F4A4F494EUL;

    public TpeSearch(int startupTrials = 10, double gamma = 0.1, int candidates = 24, double priorWeight = 1.0, bool multivariate = true, bool constantLiar = true, bool latinStartup = true)
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
        Multivariate = multivariate;
        ConstantLiar = constantLiar;
        LatinStartup = latinStartup;
    }

    public int StartupTrials { get; }

    public double Gamma { get; }

    public int Candidates { get; }

    public double PriorWeight { get; }

    /// <summary>One joint estimator over all parameters instead of one per parameter.</summary>
    public bool Multivariate { get; }

    /// <summary>Running trials (and the earlier suggestions of the same call) join the bad group, except those ahead of
    /// the good group at the epoch they have reached.</summary>
    public bool ConstantLiar { get; }

    /// <summary>Start-up trials from a Latin hypercube (<see cref="StartupDesign"/>) rather than independent draws.</summary>
    public bool LatinStartup { get; }

    public void Validate(SearchSpace space) => ArgumentNullException.ThrowIfNull(space);

    public double PlannedTrials(SearchSpace space, int? trials) => Budget.Given(trials, "tpe");

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count)
    {
        var n = Budget.Remaining(context, count);
        // Trials reused from earlier sweeps (a warm start) are results like this sweep's own: they count toward the
        // start-up and join the split, so a warm-started TPE models from its first trial instead of sampling at random.
        var history = context.Known.ToList();
        var finite = FiniteSpace.TryCreate(context.Space);
        var taken = finite?.Taken(context);
        var result = new List<IReadOnlyDictionary<string, string>>(n);
        for (var number = context.History.Count; result.Count < n; number++)
        {
            // The split is taken again for each suggestion: the ones before it in this call are running trials now.
            var split = TpeSplit.Of(history, Gamma, ConstantLiar);
            // Running trials end the start-up early only when the split models them (under the liar): a model of one
            // result that leaves them out would put every suggestion beside that result.
            var startup = StartupDesign.Continues(split.Finished, split.Running, StartupTrials);
            var config = Fresh.Pick(
                finite,
                taken,
                attempt => startup
                    ? StartupDesign.Config(context.Space, context.Seed, number, StartupTrials, LatinStartup, attempt)
                    : Draw(context, split, number, attempt),
                context.Seed,
                number);
            if (config is null)
            {
                break;
            }

            result.Add(config);
            history.Add(new Trial(number, config, TrialState.Running, [], null, null));
        }

        return result;
    }

    private TrialConfig Draw(SearchContext context, TpeSplit split, int number, int attempt)
    {
        SplitMix64 Own(Parameter parameter) => attempt == 0
            ? SplitMix64.For(context.Seed, Salt, (ulong)number, SplitMix64.Hash(parameter.Name))
            : SplitMix64.For(context.Seed, Salt, (ulong)number, SplitMix64.Hash(parameter.Name), (ulong)attempt);
        if (Multivariate)
        {
            var rng = attempt == 0
                ? SplitMix64.For(context.Seed, JointSalt, (ulong)number)
                : SplitMix64.For(context.Seed, JointSalt, (ulong)number, (ulong)attempt);
            return TpeDraw.Multivariate(context.Space, split, Candidates, PriorWeight, rng, Own);
        }

        return TpeDraw.Univariate(context.Space, split, Candidates, PriorWeight, Own);
    }

    /// <summary>Every epoch under constant liar: a running trial's newest value is compared with the completed trials'
    /// values at the same epoch (<see cref="TpeSplit"/>). Without the liar TPE reads final values only.</summary>
    public IReadOnlySet<int>? RecordedEpochs(int maxEpochs) => ConstantLiar ? null : EpochSet.None;

    public bool IsFinished(SearchContext context) => Budget.Spent(context) || Fresh.Exhausted(context);

    public string Explain(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var split = TpeSplit.Of(context.Known, Gamma, ConstantLiar);
        var running = context.History.Count(t => t.State == TrialState.Running);
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"TPE ({(Multivariate ? "multivariate" : "univariate")}, seed {context.Seed}): {context.History.Count} of {context.MaxTrials} trials started, {split.Finished} with a result{(context.Prior.Count > 0 ? $" ({context.Prior.Count} reused from earlier sweeps)" : "")}, {running} running. ");
        if (StartupDesign.Continues(split.Finished, split.Running, StartupTrials))
        {
            text.Append(StartupDesign.Describe(LatinStartup, StartupTrials));
        }
        else
        {
            var ahead = split.Good.Count(t => t.State == TrialState.Running);
            var liars = !ConstantLiar || running == 0 ? ""
                : ahead == 0 ? $" (the {running} running ones counted as bad, so that new trials avoid them)"
                : $" ({ahead} of the {running} running counted as good, being ahead of the best at the epoch they reached; the others as bad)";
            text.Append(CultureInfo.InvariantCulture, $"Modelling the best {split.Good.Count} against the other {split.Rest.Count}{liars}.");
        }

        var ranked = TpeSplit.Rank(context.Known);
        if (ranked.Count > 0 && ranked[0].State == TrialState.Completed)
        {
            text.Append(CultureInfo.InvariantCulture, $" Best so far: {(ranked[0].Number < 0 ? "a reused trial" : $"trial {ranked[0].Number}")}, {context.Objective.Text(TpeSplit.LastValue(ranked[0])!.Value.Value)}, {AnswerValue.Config(ranked[0].Config)}.");
        }

        return text.ToString();
    }

    internal static TpeSearch FromSettings(Settings settings) => new(
        settings.Int("n_startup", 10, v => v >= 1, "at least 1"),
        settings.Double("gamma", 0.1, v => v > 0 && v < 1, "between 0 and 1"),
        settings.Int("n_candidates", 24, v => v >= 1, "at least 1"),
        settings.Double("prior_weight", 1.0, v => v > 0, "positive"),
        settings.Bool("multivariate", true),
        settings.Bool("constant_liar", true),
        StartupDesign.LatinFrom(settings));
}
