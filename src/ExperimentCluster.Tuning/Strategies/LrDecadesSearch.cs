using System.Globalization;
using System.Text;

namespace ExperimentCluster.Tuning;

/// <summary>The classic learning-rate search by decades, for few trials.
/// <list type="number">
/// <item>Survey: the start rate and survey_decades decades on each side, all at once (start x 10^k for k = 0, -1, 1, ...).
/// The default, 1, tries three rates; the second decade is then tried only on the side where the first one won (the
/// extension below), since loss against log learning rate is a single valley in practice and a second decade on the
/// losing side is a wasted run. survey_decades 2 gives the full classic five-rate survey.</item>
/// <item>Extend: while the best rate is the lowest tried, try a decade lower; while it is the highest tried and none of its
/// runs diverged, a decade higher. One rate at a time, so extension stops as soon as a step no longer improves; upward it
/// also stops at the first rate that diverges (it is then no longer the best). Ties go to the lower rate.</item>
/// <item>Refine: around the best, try best x 10^(+-s) for s = 0.5, 0.25, ... down to resolution decades, halving s each
/// round (skipping rates at or above a rate that diverged).</item>
/// </list>
/// Each phase sees only the rates of the phases before it, so the plan replays identically from the stored history.
/// <para>Every other parameter must be a list: each rate is tried with every combination of their values (in grid order;
/// a one-value list fixes the parameter, a list of seeds gives repeats). A rate's score combines its runs' results
/// (final value; Diverged counts as +infinity; Failed and Cancelled are ignored): the sweep's replicate seeds of one
/// combination count as their mean, and combine "median" (default) takes the median over the combinations, "best" the
/// minimum, that is the rate that works best with its best companions.</para>
/// <para>The rates stay inside the learning-rate domain: with a list, only listed rates are tried (each target snaps to the
/// nearest listed rate within half a step, in log10), so refinement only uses listed values between decades; with a
/// (log-)uniform range, any rate inside it (rounded to 12 significant digits).</para>
/// <para>Settings: parameter ("learning_rate"), start (0.01), survey_decades (1), resolution (0.25 decade),
/// combine ("median" or "best").</para></summary>
public sealed class LrDecadesSearch : ISearchStrategy
{
    private const double Epsilon = 1e-9;

    public LrDecadesSearch(string parameter = "learning_rate", double start = 0.01, double resolution = 0.25, string combine = "median", int surveyDecades = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(surveyDecades, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(parameter);
        if (!(start > 0 && double.IsFinite(start)))
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "the start rate is positive");
        }

        if (!(resolution > 0 && resolution <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "the resolution is in (0, 1] decades");
        }

        if (combine is not ("median" or "best"))
        {
            throw new ArgumentOutOfRangeException(nameof(combine), combine, "combine is median or best");
        }

        ParameterName = parameter;
        Start = start;
        Resolution = resolution;
        Combine = combine;
        SurveyDecades = surveyDecades;
    }

    public string ParameterName { get; }

    public double Start { get; }

    public double Resolution { get; }

    public string Combine { get; }

    public int SurveyDecades { get; }

    public void Validate(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var rate = LearningRateParameter.Find(space, ParameterName, "lr-decades",
            $"lr-decades searches '{ParameterName}', which the space does not have (set lr-decades.parameter to search another)");

        foreach (var other in space.Parameters.Where(p => p != rate))
        {
            if (other.Domain.IsRange)
            {
                throw new TuningException($"search.space.{other.Name}", "lr-decades tries every listed value of the other parameters with each rate; give a list, not a range");
            }
        }

        var (low, high) = LogBounds(rate.Domain);
        var start = Math.Log10(Start);
        if (start < low - 0.5 - Epsilon || start > high + 0.5 + Epsilon)
        {
            throw new TuningException("lr-decades.start", $"the start rate {Start} lies outside {ParameterName}'s values");
        }
    }

    /// <summary>The rate's values cannot change while the search runs: each phase is planned from the rates of the phases
    /// before it (survey, extension, refinement around the best), so a changed rate domain would leave a plan that no
    /// longer replays from the history and could point outside the new domain. The other parameters' lists may change:
    /// each rate is then tried with the new combinations, and runs of a removed value are ignored.</summary>
    public void ValidateEdit(SearchSpace before, SearchSpace after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Find(ParameterName)?.Domain != after.Find(ParameterName)?.Domain)
        {
            throw new TuningException($"search.space.{ParameterName}",
                "lr-decades plans each rate from the rates it measured before, so its rates cannot change while it runs; refine it into a new sweep instead (excl refine)");
        }
    }

    /// <summary>The count given, or the method's own plan per combination of the other parameters: the survey (1 + 2 x
    /// survey_decades rates), extension a decade at a time towards the farther end of the domain, and two rates per
    /// refinement round (half a decade, a quarter, ... down to the resolution); with a list, at most the listed rates.
    /// The search usually finishes sooner: extension stops when a step no longer improves.</summary>
    public double PlannedTrials(SearchSpace space, int? trials)
    {
        ArgumentNullException.ThrowIfNull(space);
        Validate(space);
        if (trials is { } given)
        {
            return given;
        }

        var rate = space.Find(ParameterName)!;
        var combinations = space.Parameters.Where(p => p != rate).Aggregate(1.0, (n, p) => n * ((ValuesDomain)p.Domain).Values.Count);
        var (low, high) = LogBounds(rate.Domain);
        var start = Math.Log10(Start);
        var extension = Math.Max(0, Math.Max(Math.Floor(start - SurveyDecades - low + Epsilon), Math.Floor(high - start - SurveyDecades + Epsilon)));
        var rounds = 0;
        for (var step = 0.5; step >= Resolution - Epsilon; step /= 2)
        {
            rounds++;
        }

        var rates = 1 + (2 * SurveyDecades) + extension + (2 * rounds);
        if (rate.Domain is ValuesDomain listed)
        {
            rates = Math.Min(rates, listed.Values.Count);
        }

        return rates * combinations;
    }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count)
    {
        var n = Budget.Remaining(context, count);
        var state = Analyze(context);
        var result = new List<IReadOnlyDictionary<string, string>>();
        foreach (var point in state.Plan.Wanted)
        {
            foreach (var combo in state.Combos)
            {
                if (result.Count >= n)
                {
                    return result;
                }

                if (!state.Runs.ContainsKey((point.Text, combo.Key)))
                {
                    result.Add(new TrialConfig(combo.Append(new(ParameterName, point.Text))));
                }
            }
        }

        return result;
    }

    public bool IsFinished(SearchContext context)
    {
        var state = Analyze(context);
        return Budget.Spent(context) || state.Plan.Wanted.Count == 0;
    }

    /// <summary>With only the learning rate swept, each configuration is one rate: the answer is the best rate.</summary>
    public AnswerKind Answers(SearchSpace space) =>
        space is { Parameters.Count: 1 } && space.Find(SweepAnswer.LearningRate) is not null
            ? AnswerKind.BestLearningRate : AnswerKind.BestConfiguration;

    public string Explain(SearchContext context)
    {
        var state = Analyze(context);
        var points = state.Points.Values.Where(p => p.Complete).OrderBy(p => p.Log).ToArray();
        var text = new StringBuilder();
        var settled = state.Plan.Wanted.Count == 0;
        var finished = settled || Budget.Spent(context);
        var best = state.Plan.Known.Count > 0 ? Best(state.Plan.Known) : null;
        if (best is null || !double.IsFinite(best.Score))
        {
            text.Append(finished ? "No rate worked: " : "No rate has a result yet. ");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{(settled ? "Settled on" : "Best so far:")} {ParameterName} = {best.Text} (nearest decade 1e{(int)Math.Round(best.Log, MidpointRounding.AwayFromZero)}), " +
                $"{ScoreName(best)} {RuleHistory.Format(best.Score)} over {best.Runs} run(s). ");
            // Described, not judged: which lower rates were too slow to learn (clearly worse) is the answer's call.
            var lower = points.Where(p => p.Log < best.Log - Epsilon && !p.AnyDiverged).ToArray();
            if (lower.Length > 0)
            {
                text.Append("Lower rates that ended worse: ")
                    .Append(string.Join(", ", lower.Select(p => $"{p.Text} ({RuleHistory.Format(p.Score)})")))
                    .Append(". ");
            }

            var higher = points.Where(p => p.Log > best.Log + Epsilon && !p.AnyDiverged).ToArray();
            if (higher.Length > 0)
            {
                text.Append("Higher rates that ended worse: ")
                    .Append(string.Join(", ", higher.Select(p => $"{p.Text} ({RuleHistory.Format(p.Score)})")))
                    .Append(". ");
            }
        }

        var diverged = points.Where(p => p.AnyDiverged).ToArray();
        text.Append(diverged.Length == 0
            ? "No run diverged. "
            : "Diverged: " + string.Join(", ", diverged.Select(p =>
                $"{p.Text} ({p.DivergedRuns.Count} of {p.Runs} runs: {string.Join(", ", p.DivergedRuns)})")) + ". ");
        text.Append(settled
            ? $"Finished after {context.History.Count} runs ({state.Plan.Phase})."
            : finished
            ? $"Stopped by the trial budget ({context.MaxTrials}) while {state.Plan.Phase}."
            : $"Now: {state.Plan.Phase}; waiting for {string.Join(", ", state.Plan.Wanted.Select(p => p.Text))}.");
        return text.ToString().TrimEnd();
    }

    /// <summary>What a rate's score is, in words: one run's final value, the mean over its seeds, or the combination
    /// of several combinations' scores.</summary>
    private string ScoreName(Point point) =>
        point.Combinations > 1 ? $"{Combine} final value"
        : point.Runs > 1 ? "mean final value"
        : "final value";

    internal static LrDecadesSearch FromSettings(Settings settings) => new(
        settings.String("parameter", "learning_rate"),
        settings.Double("start", 0.01, v => v > 0, "positive"),
        settings.Double("resolution", 0.25, v => v > 0 && v <= 1, "in (0, 1] decades"),
        settings.String("combine", "median", "median", "best"),
        settings.Int("survey_decades", 1, v => v is >= 1 and <= 4, "between 1 and 4"));

    private static (double Low, double High) LogBounds(Domain domain) => domain switch
    {
        ValuesDomain values => (
            values.Values.Min(v => Math.Log10(double.Parse(v, CultureInfo.InvariantCulture))),
            values.Values.Max(v => Math.Log10(double.Parse(v, CultureInfo.InvariantCulture)))),
        LogUniformDomain l => (Math.Log10(l.Low), Math.Log10(l.High)),
        UniformDomain u => (Math.Log10(u.Low), Math.Log10(u.High)),
        _ => throw new InvalidOperationException("validated"),
    };

    private static Point? Best(IEnumerable<Point> points) =>
        points.OrderBy(p => double.IsNaN(p.Score) ? double.PositiveInfinity : p.Score).ThenBy(p => p.Log).FirstOrDefault();

    private State Analyze(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Validate(context.Space);
        var rate = context.Space.Find(ParameterName)!;
        var others = context.Space.Parameters.Where(p => p != rate).ToArray();
        var combos = others.Length == 0 ? [new TrialConfig([])] : GridSearch.Points(others).ToArray();
        var comboKeys = combos.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);

        // Every run of a (rate, combination) pair: one, or the sweep's replicate seeds, which share the configuration.
        var runs = new Dictionary<(string Rate, string Combo), List<Trial>>();
        // A rate an earlier sweep measured with the same settings (a warm start) is known: it is not run again.
        foreach (var trial in context.Known)
        {
            if (!trial.Config.TryGetValue(ParameterName, out var rateText) || !JsonText.TryParseNumber(rateText, out var value) || value <= 0)
            {
                continue;
            }

            var combo = new TrialConfig(trial.Config.Where(kv => !string.Equals(kv.Key, ParameterName, StringComparison.Ordinal)));
            if (comboKeys.Contains(combo.Key))
            {
                var key = (JsonText.FormatDouble(value), combo.Key);
                if (!runs.TryGetValue(key, out var replicates))
                {
                    runs[key] = replicates = [];
                }

                replicates.Add(trial);
            }
        }

        var points = new Dictionary<string, Point>(StringComparer.Ordinal);
        foreach (var rateText in runs.Keys.Select(k => k.Rate).Distinct(StringComparer.Ordinal))
        {
            var perCombo = combos.Select(c => runs.TryGetValue((rateText, c.Key), out var t) ? t : null).ToArray();
            points[rateText] = Summarize(rateText, perCombo);
        }

        var lattice = new Lattice(rate.Domain);
        var plan = MakePlan(lattice, points);
        return new State(combos, runs, points, plan);
    }

    /// <summary>A rate's score: each combination's runs count as the mean of their final values (+infinity when one of
    /// them diverged: a rate that diverges in any seed is no safe best, as the sweep's answer says), and the
    /// combinations' scores combine by <see cref="Combine"/>. Before the mean, only the first replicate counted, so with
    /// three seeds the search refined around one seed's luck and its explanation named another rate than the answer.</summary>
    private Point Summarize(string text, List<Trial>?[] perCombo)
    {
        var scores = new List<double>();
        var diverged = new List<int>();
        var finished = 0;
        var complete = true;
        foreach (var replicates in perCombo)
        {
            if (replicates is null || replicates.Any(r => r.State == TrialState.Running))
            {
                complete = false;
                continue;
            }

            var finals = new List<double>();
            foreach (var run in replicates)
            {
                var last = run.FinalValue ?? (run.Values.Count > 0 ? run.Values.MaxBy(v => v.Epoch)!.Value : double.NaN);
                switch (run.State)
                {
                    case TrialState.Completed or TrialState.Stopped when double.IsFinite(last):
                        finals.Add(last);
                        break;
                    case TrialState.Diverged or TrialState.Completed or TrialState.Stopped:
                        finals.Add(double.PositiveInfinity);
                        diverged.Add(run.Number);
                        break;
                    default:
                        break;
                }
            }

            finished += finals.Count;
            if (finals.Count > 0)
            {
                scores.Add(finals.Average());
            }
        }

        scores.Sort();
        double score = scores.Count == 0 ? double.NaN
            : Combine == "best" ? scores[0]
            : scores.Count % 2 == 1 ? scores[scores.Count / 2]
            : (scores[(scores.Count / 2) - 1] + scores[scores.Count / 2]) / 2;
        var log = Math.Log10(double.Parse(text, CultureInfo.InvariantCulture));
        return new Point(text, log, complete, score, finished, scores.Count, diverged);
    }

    /// <summary>Replays the method phase by phase over the finished rates; the first phase with rates still to run (or still
    /// running) is where the search stands.</summary>
    private Plan MakePlan(Lattice lattice, Dictionary<string, Point> points)
    {
        var known = new List<Point>();
        var start = Math.Log10(Start);

        // Returns the targets that are not finished yet; adds the finished ones to what later phases may see.
        List<Target> Visit(IEnumerable<Target> targets)
        {
            var waiting = new List<Target>();
            foreach (var target in targets.DistinctBy(t => t.Text))
            {
                if (points.TryGetValue(target.Text, out var point) && point.Complete)
                {
                    if (!known.Contains(point))
                    {
                        known.Add(point);
                    }
                }
                else
                {
                    waiting.Add(target);
                }
            }

            return waiting;
        }

        var survey = Enumerable.Range(1, SurveyDecades)
            .SelectMany(k => new[] { -k, k })
            .Prepend(0)
            .Select(k => lattice.Snap(start + k, 0.5))
            .OfType<Target>()
            .ToArray();
        var wanted = Visit(survey);
        if (wanted.Count > 0)
        {
            return new Plan(wanted, known, $"survey: the start rate and {SurveyDecades} decade(s) each side");
        }

        while (known.Count > 0)
        {
            var best = Best(known)!;
            var lowest = known.Min(p => p.Log);
            var highest = known.Max(p => p.Log);
            Target? next = null;
            var direction = "";
            if (best.Log <= lowest + Epsilon)
            {
                next = lattice.Snap(lowest - 1, 0.5);
                direction = "extending down: the lowest rate was the best";
            }

            if (next is null && best.Log >= highest - Epsilon && !best.AnyDiverged && double.IsFinite(best.Score))
            {
                next = lattice.Snap(highest + 1, 0.5);
                direction = "extending up: the highest rate was the best and did not diverge";
            }

            if (next is null || known.Any(p => string.Equals(p.Text, next.Text, StringComparison.Ordinal)))
            {
                break;
            }

            wanted = Visit([next]);
            if (wanted.Count > 0)
            {
                return new Plan(wanted, known, direction);
            }
        }

        for (var step = 0.5; step >= Resolution - Epsilon; step /= 2)
        {
            var best = Best(known);
            if (best is null || !double.IsFinite(best.Score))
            {
                break;
            }

            var ceiling = known.Where(p => double.IsPositiveInfinity(p.Score) && p.Log > best.Log).Select(p => p.Log).DefaultIfEmpty(double.PositiveInfinity).Min();
            var targets = new[] { lattice.Snap(best.Log - step, step / 2), lattice.Snap(best.Log + step, step / 2) }
                .OfType<Target>()
                .Where(t => !string.Equals(t.Text, best.Text, StringComparison.Ordinal) && t.Log < ceiling - Epsilon);
            wanted = Visit(targets);
            if (wanted.Count > 0)
            {
                return new Plan(wanted, known, $"refining around {best.Text} by {step} decade");
            }
        }

        return new Plan([], known, $"refined to {Resolution} decade");
    }

    /// <summary>The rates the domain allows: the listed ones, or any inside the range.</summary>
    private sealed class Lattice
    {
        private readonly (double Log, string Text)[]? _listed;
        private readonly double _low;
        private readonly double _high;

        public Lattice(Domain domain)
        {
            (_low, _high) = LogBounds(domain);
            if (domain is ValuesDomain values)
            {
                _listed = values.Values
                    .Select(v => double.Parse(v, CultureInfo.InvariantCulture))
                    .Select(x => (Math.Log10(x), JsonText.FormatDouble(x)))
                    .OrderBy(p => p.Item1)
                    .ToArray();
            }
        }

        /// <summary>The allowed rate nearest to 10^<paramref name="log"/>, within <paramref name="tolerance"/> decades; null when none.</summary>
        public Target? Snap(double log, double tolerance)
        {
            if (_listed is not null)
            {
                var nearest = _listed.OrderBy(p => Math.Abs(p.Log - log)).ThenBy(p => p.Log).First();
                return Math.Abs(nearest.Log - log) <= tolerance + Epsilon ? new Target(nearest.Text, nearest.Log) : null;
            }

            if (log < _low - Epsilon || log > _high + Epsilon)
            {
                return null;
            }

            var rate = double.Parse(Math.Pow(10, log).ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            return new Target(JsonText.FormatDouble(rate), Math.Log10(rate));
        }
    }

    private sealed record Target(string Text, double Log);

    /// <summary>A rate's result: its score, how many of its runs finished (diverged included), over how many
    /// combinations of the other parameters, and which runs diverged.</summary>
    private sealed record Point(string Text, double Log, bool Complete, double Score, int Runs, int Combinations, List<int> DivergedRuns)
    {
        public bool AnyDiverged => DivergedRuns.Count > 0;
    }

    private sealed record Plan(List<Target> Wanted, List<Point> Known, string Phase);

    private sealed record State(TrialConfig[] Combos, Dictionary<(string Rate, string Combo), List<Trial>> Runs, Dictionary<string, Point> Points, Plan Plan);
}
