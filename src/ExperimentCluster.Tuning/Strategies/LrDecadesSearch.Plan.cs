using System.Globalization;

namespace ExperimentCluster.Tuning;

/// <summary>The method's plan, replayed from the history: each rate's result over its runs, and phase by phase which
/// rates the method wants next (survey, extension, refinement), on the lattice of rates the domain allows.</summary>
public sealed partial class LrDecadesSearch
{
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
