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
public sealed partial class LrDecadesSearch : ISearchStrategy
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
                $"{ScoreName(best, context.Objective)} {context.Objective.Number(best.Score)} over {best.Runs} run(s). ");
            // Described, not judged: which lower rates were too slow to learn (clearly worse) is the answer's call.
            var lower = points.Where(p => p.Log < best.Log - Epsilon && !p.AnyDiverged).ToArray();
            if (lower.Length > 0)
            {
                text.Append("Lower rates that ended worse: ")
                    .Append(string.Join(", ", lower.Select(p => $"{p.Text} ({context.Objective.Number(p.Score)})")))
                    .Append(". ");
            }

            var higher = points.Where(p => p.Log > best.Log + Epsilon && !p.AnyDiverged).ToArray();
            if (higher.Length > 0)
            {
                text.Append("Higher rates that ended worse: ")
                    .Append(string.Join(", ", higher.Select(p => $"{p.Text} ({context.Objective.Number(p.Score)})")))
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
    private string ScoreName(Point point, Objective objective) =>
        point.Combinations > 1 ? $"{Combine} final {objective.Label}"
        : point.Runs > 1 ? $"mean final {objective.Label}"
        : $"final {objective.Label}";

    internal static LrDecadesSearch FromSettings(Settings settings) => new(
        settings.String("parameter", "learning_rate"),
        settings.Double("start", 0.01, v => v > 0, "positive"),
        settings.Double("resolution", 0.25, v => v > 0 && v <= 1, "in (0, 1] decades"),
        settings.String("combine", "median", "median", "best"),
        settings.Int("survey_decades", 1, v => v is >= 1 and <= 4, "between 1 and 4"));
}
