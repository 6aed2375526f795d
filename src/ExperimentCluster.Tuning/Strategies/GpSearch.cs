using System.Globalization;
using System.Text;

namespace ExperimentCluster.Tuning;

/// <summary>Bayesian optimisation with a Gaussian process, for small budgets (tens of trials), where each trial is worth a
/// model fit. Until n_startup trials have a result (or are running, once one has: <see cref="StartupDesign.Continues"/>),
/// the trials are the start-up design (<see cref="StartupDesign"/>: a Latin hypercube of n_startup points by default, or
/// <see cref="RandomSearch"/>'s trials). After that the trials with a result
/// (<see cref="GpObservations"/>) are encoded in the unit cube (<see cref="GpEncoding"/>), a Matérn-5/2 process with one
/// length scale per parameter is fitted by maximum likelihood (<see cref="GpFit"/>), and the next trial is the point of
/// highest log expected improvement over the best value (<see cref="LogExpectedImprovement"/>, maximised by
/// <see cref="AcquisitionSearch"/>).
/// <para>Running trials (and the earlier suggestions of the same request) enter as made-up observations (a "constant
/// liar", Ginsbourger et al. 2010): each is believed to end no better than the average trial so far (0 in standardised
/// units), or at the posterior mean where that is worse. Near the optimum that lifts the mean to average and the expected
/// improvement falls away, so several trials suggested at once spread out instead of landing on the same point; believing
/// the posterior mean itself (the "kriging believer") was tried first and repeated the same point, because with the noise
/// the fit keeps, one believed observation barely lowers the variance. The hyperparameters are fitted to real results
/// only, and the best value expected improvement is measured from is the best observed.</para>
/// <para>The draws of trial n come from a generator keyed by (seed, n), so the answer is a pure function of the seed and the
/// history, and a shorter request is a prefix of a longer one. A point already in the history is never proposed again
/// (redrawn as the start-up draws, see <see cref="Fresh"/>).</para>
/// <para>Settings: n_startup (10), n_candidates (1024: random points scored before refining), n_local_search (5: the best
/// candidates refined), objective ("log": model the logarithm of the values when all are positive; "raw"), startup
/// ("latin" or "random"), numeric_lists ("ordered": a list of numbers is one ordered column; "categorical": one-hot, as
/// Optuna encodes every list), max_results (300: the most results the process is fitted to, <see cref="GpObservations"/>).</para></summary>
public sealed class GpSearch : ISearchStrategy
{
    public bool SamplesRanges => true;

    private const ulong Salt = 0x47505F5345415243UL;

    public GpSearch(int startupTrials = 10, int candidates = 1024, int localSearches = 5, bool logObjective = true, bool latinStartup = true, bool orderedLists = true,
        int maxResults = 300)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(startupTrials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(localSearches, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 2);
        StartupTrials = startupTrials;
        Candidates = candidates;
        LocalSearches = localSearches;
        LogObjective = logObjective;
        LatinStartup = latinStartup;
        OrderedLists = orderedLists;
        MaxResults = maxResults;
    }

    public int StartupTrials { get; }

    public int Candidates { get; }

    public int LocalSearches { get; }

    public bool LogObjective { get; }

    /// <summary>Start-up trials from a Latin hypercube (<see cref="StartupDesign"/>) rather than independent draws.</summary>
    public bool LatinStartup { get; }

    /// <summary>A list of numbers is one ordered column rather than one-hot columns (<see cref="GpEncoding"/>).</summary>
    public bool OrderedLists { get; }

    /// <summary>The most results the process is fitted to (<see cref="GpObservations"/>: the best half, then the newest).</summary>
    public int MaxResults { get; }

    public void Validate(SearchSpace space) => ArgumentNullException.ThrowIfNull(space);

    public double PlannedTrials(SearchSpace space, int? trials) => Budget.Given(trials, "gp");

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count)
    {
        var n = Budget.Remaining(context, count);
        var encoding = new GpEncoding(context.Space, OrderedLists);
        // Trials reused from earlier sweeps (a warm start) are observations like this sweep's own.
        var observations = GpObservations.From(encoding, context.Known, LogObjective, MaxResults);
        var finite = FiniteSpace.TryCreate(context.Space);
        var taken = finite?.Taken(context);
        // On a continuous space the acquisition's best often sits on a range's end, where the local search clamps it, and
        // it is proposed again and again: a trial of the same configuration trains the sweep's seeds to the same numbers,
        // so an exact repeat is redrawn as the start-up draws (on iris, 9 of 16 suggestions were learning_rate = 1).
        var seen = finite is null ? Fresh.Seen(context) : null;
        // This request's earlier suggestions are running trials by the time this one starts.
        var suggested = new List<double[]>();
        Believer? believer = null;
        var result = new List<IReadOnlyDictionary<string, string>>(n);
        for (var number = context.History.Count; result.Count < n; number++)
        {
            var startup = StartupDesign.Continues(observations.Points.Count, observations.Running.Count + result.Count, StartupTrials);
            TrialConfig Draw(int attempt) => startup || attempt > 0
                ? StartupDesign.Config(context.Space, context.Seed, number, StartupTrials, LatinStartup, attempt)
                : Propose(believer ??= Believer.Start(encoding, observations, suggested), context.Seed, number);
            var config = seen is not null ? Fresh.Unseen(seen, Draw) : Fresh.Pick(finite, taken, Draw, context.Seed, number);
            if (config is null)
            {
                break;
            }

            result.Add(config);
            if (encoding.Encode(config) is { } point)
            {
                suggested.Add(point);
                believer?.Believe(point);
            }
        }

        return result;
    }

    public bool IsFinished(SearchContext context) => Budget.Spent(context) || Fresh.Exhausted(context);

    public string Explain(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var encoding = new GpEncoding(context.Space, OrderedLists);
        var observations = GpObservations.From(encoding, context.Known, LogObjective, MaxResults);
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Gaussian process (seed {context.Seed}): {context.History.Count} of {context.MaxTrials} trials started, {observations.Points.Count + observations.Omitted} with a result. ");
        text.Append(StartupDesign.Continues(observations.Points.Count, observations.Running.Count, StartupTrials)
            ? StartupDesign.Describe(LatinStartup, StartupTrials)
            : string.Create(CultureInfo.InvariantCulture, $"Fitting a Matérn-5/2 process to them ({observations.Running.Count} running trials at their believed values) and trying the point of highest expected improvement."));
        if (observations.Omitted > 0)
            text.Append(CultureInfo.InvariantCulture, $" The process is fitted to {observations.Points.Count} of the results (max_results): the best {MaxResults / 2} and the newest; a fit's cost grows with the cube of the results.");
        var best = context.Known
            .Where(t => t.State == TrialState.Completed && double.IsFinite(GpObservations.Result(t)))
            .OrderBy(GpObservations.Result).ThenBy(t => t.Number)
            .FirstOrDefault();
        if (best is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" Best so far: {(best.Number < 0 ? "a reused trial" : $"trial {best.Number}")}, {context.Objective.Text(GpObservations.Result(best))}, {AnswerValue.Config(best.Config)}.");
        }

        return text.ToString();
    }

    internal static GpSearch FromSettings(Settings settings) => new(
        settings.Int("n_startup", 10, v => v >= 1, "at least 1"),
        settings.Int("n_candidates", 1024, v => v is >= 1 and <= 100_000, "between 1 and 100000"),
        settings.Int("n_local_search", 5, v => v is >= 1 and <= 100, "between 1 and 100"),
        settings.String("objective", "log", "log", "raw") == "log",
        StartupDesign.LatinFrom(settings),
        settings.String("numeric_lists", "ordered", "ordered", "categorical") == "ordered",
        settings.Int("max_results", 300, v => v is >= 20 and <= 5000, "between 20 and 5000"));

    private TrialConfig Propose(Believer believer, ulong seed, int number)
    {
        var rng = SplitMix64.For(seed, Salt, (ulong)number);
        var search = new AcquisitionSearch(believer.Encoding, x =>
        {
            var (mean, variance) = believer.Model.Predict(x);
            return LogExpectedImprovement.Of(mean, variance, believer.Best);
        });
        var (point, _) = search.Maximise(believer.WarmStarts, Candidates, LocalSearches, ref rng);
        return believer.Encoding.Decode(point);
    }

    /// <summary>The fitted process with the running trials (and this request's earlier suggestions) added at their lies.</summary>
    private sealed class Believer
    {
        private Believer(GpEncoding encoding, GpRegressor model, double best, double[][] warmStarts)
        {
            Encoding = encoding;
            Model = model;
            Best = best;
            WarmStarts = warmStarts;
        }

        public GpEncoding Encoding { get; }

        public GpRegressor Model { get; private set; }

        /// <summary>The lowest standardised value observed: the level expected improvement is measured from.</summary>
        public double Best { get; }

        /// <summary>The best observed point, where the acquisition search also starts.</summary>
        public double[][] WarmStarts { get; }

        /// <summary>The process fitted to the results, with the running trials and <paramref name="suggested"/> (this
        /// request's earlier suggestions) believed.</summary>
        public static Believer Start(GpEncoding encoding, GpObservations observations, IEnumerable<double[]> suggested)
        {
            var model = GpFit.Fit(encoding, observations.Points, observations.Values);
            var bestIndex = 0;
            for (var i = 1; i < observations.Values.Count; i++)
            {
                if (observations.Values[i] < observations.Values[bestIndex])
                {
                    bestIndex = i;
                }
            }

            var believer = new Believer(encoding, model, observations.Values[bestIndex], [observations.Points[bestIndex]]);
            foreach (var point in observations.Running.Concat(suggested))
            {
                believer.Believe(point);
            }

            return believer;
        }

        public void Believe(double[] point)
        {
            var (mean, _) = Model.Predict(point);
            Model = Model.With(point, Math.Max(mean, 0));
        }
    }
}
