using System.Globalization;
using System.Text;

namespace ExperimentCluster.Tuning;

/// <summary>
/// The one sentence that answers the question a sweep asked, and the best values behind it (what `excl refine` builds
/// on). A pure function of the run summaries: the grain computes it for the CLI, the page and the JSON summary alike,
/// and the CLI recomputes the same from the stored results when it refines. It lives in Tuning, next to the other
/// aggregates, because it needs nothing of Orleans and both the grains and the CLI already depend on Tuning.
/// </summary>
public sealed record SweepAnswer(string Text, IReadOnlyDictionary<string, string>? BestConfig, double? BestLearningRate)
{
    public const string LearningRate = "learning_rate";
    public const string Seed = "seed";

    /// <summary>
    /// The answer. <paramref name="kind"/> is what the sweep's strategy says it answers (<see cref="ISearchStrategy.Answers"/>):
    /// the practitioner's method gets the rate answer; every other sweep the best configuration, how sure, and what
    /// mattered most.
    /// </summary>
    /// <param name="importance">The hyperparameters' importance (<see cref="HyperparameterImportance"/>); computed here
    /// from <paramref name="space"/> and <paramref name="runs"/> when the caller has none at hand.</param>
    /// <param name="finished">False while the sweep still runs: the answer then says "so far".</param>
    /// <param name="objective">What the runs' losses are (a command sweep's metric); the validation loss by default.</param>
    public static SweepAnswer For(string sweepId, AnswerKind kind, SearchSpace space, IReadOnlyList<RunSummary> runs,
        ImportanceResult? importance, bool finished, Objective? objective = null)
    {
        objective ??= Objective.ValidationLoss;
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(runs);
        var groups = Configurations(runs);
        var prefix = finished ? "" : "So far: ";
        var none = finished ? "no answer." : "no answer yet.";
        var ranked = groups.Where(g => g.Mean is not null).OrderBy(g => g.Mean!.Value).ToList();
        if (ranked.Count == 0)
        {
            var diverged = runs.Count(r => Is(r, "Diverged"));
            return new SweepAnswer(prefix + (runs.Count == 0 ? "no run has started: " + none :
                $"no run finished with a {objective.Name}{(diverged > 0 ? $" ({diverged} of {runs.Count} diverged)" : "")}: {none}"), null, null);
        }

        var next = $"excl refine {sweepId} --out refine.json && excl run refine.json";
        if (kind == AnswerKind.BestLearningRate)
            return RateAnswer(prefix, none, groups, space, objective, next);
        return ConfigurationAnswer(prefix, ranked, importance ?? HyperparameterImportance.Of(space, runs), space, objective,
            space.Find(LearningRate) is not null ? next : null);
    }

    /// <summary>The answer's next step with the options that reach this sweep again (the options excl prints: `--data-dir d`, `--gateway host:port`):
    /// the answer is one text for every surface and names the default data folder, so its `excl refine ID` failed with
    /// "no sweep" from a sweep run with --data-dir, and on a cluster trained the refinement in a local silo. Null when the
    /// answer names no next step or the options are the default.</summary>
    public static string? NextStep(string id, string answer, string options, bool cluster) =>
        options.Length == 0 || !answer.Contains(NextClause, StringComparison.Ordinal) ? null
        : cluster ? $"next, on this cluster: excl refine {id} {options} --run"
        : $"next, with this data folder: excl refine {id} {options} --out refine.json && excl run refine.json {options}";

    /// <summary>The answer without its own next step, for where <see cref="NextStep"/> prints the one that works here:
    /// two next steps, one of them wrong, left the user to guess which to copy.</summary>
    public static string WithoutNextStep(string answer) =>
        answer.IndexOf(NextClause, StringComparison.Ordinal) is var at and >= 0 ? answer[..at] + "." : answer;

    public const string NextClause = "; next: excl refine ";

    /// <summary>Replicate seeds are not hyperparameters: <paramref name="name"/> is one unless it is the seed, and the
    /// seed is one only when the space sweeps it on purpose. The per-value summaries and the importance follow this.</summary>
    public static bool IsHyperparameter(string name, SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return name != Seed || space.Find(Seed) is not null;
    }

    private static SweepAnswer RateAnswer(string prefix, string none, IReadOnlyList<Group> groups, SearchSpace space, Objective objective, string next)
    {
        var rates = groups
            .Where(g => g.Config.ContainsKey(LearningRate) && JsonText.TryParseNumber(g.Config[LearningRate], out _))
            .OrderBy(g => Rate(g))
            .ToList();
        // A rate that diverged in any seed is not a safe best, however good its other seeds were; only when every
        // finished rate also diverged somewhere is the best of those named.
        var candidates = rates.Where(g => g.Mean is not null && g.Diverged == 0).ToList();
        if (candidates.Count == 0)
            candidates = rates.Where(g => g.Mean is not null).ToList();
        if (candidates.Count == 0)
            return new SweepAnswer(prefix + $"no learning rate finished with a {objective.Name}: " + none, null, null);
        var best = candidates.MinBy(g => g.Mean!.Value)!;
        var text = new StringBuilder(prefix);
        text.Append(CultureInfo.InvariantCulture, $"the best learning rate is {RateText(best)}: final {objective.Name} {Loss(best, objective)}");
        foreach (var g in rates.Where(g => g.Diverged > 0))
            text.Append(CultureInfo.InvariantCulture, $"; {RateText(g)} diverged in {g.Diverged} of {g.Runs} seeds");
        // Too slow to learn: a lower rate that did not diverge and ended clearly worse than the best, i.e. its mean final
        // loss is above the best's by more than twice the larger of the two seeds' spreads and by more than 10% of the
        // best's mean (the 10% also decides when there is one seed and so no spread).
        var slow = rates.Where(g => Rate(g) < Rate(best) && g.Diverged == 0 && g.Mean is { } m &&
            m - best.Mean!.Value > Math.Max(2 * Math.Max(g.Sd ?? 0, best.Sd ?? 0), 0.1 * Math.Abs(best.Mean.Value))).ToList();
        if (slow.Count > 0)
            text.Append("; ").Append(string.Join(", ", slow.Select(RateText))).Append(slow.Count == 1 ? " is" : " are")
                .Append(" too slow to learn (lower, and ended clearly worse)");
        var unfinished = rates.Where(g => g.Mean is null && g.Diverged == 0).ToList();
        if (unfinished.Count > 0)
            text.Append("; no finished run for ").Append(string.Join(", ", unfinished.Select(RateText)));
        text.Append(AtTheEdge(space, best.Config, [LearningRate]));
        text.Append("; next: ").Append(next);
        return new SweepAnswer(text.Append('.').ToString(), best.Config, Rate(best));
    }

    private static SweepAnswer ConfigurationAnswer(string prefix, IReadOnlyList<Group> ranked, ImportanceResult importance, SearchSpace space,
        Objective objective, string? next)
    {
        var best = ranked[0];
        var text = new StringBuilder(prefix);
        text.Append(CultureInfo.InvariantCulture, $"the best configuration is {ConfigText(best.Config)}: final {objective.Name} {Loss(best, objective)}");
        if (ranked.Count < 2)
        {
            text.Append("; no other configuration finished to compare with");
        }
        else
        {
            var runnerUp = ranked[1];
            var gap = runnerUp.Mean!.Value - best.Mean!.Value;
            var runnerUpMean = Num(objective.Shown(runnerUp.Mean.Value));
            if (best.Sd is not { } sd)
                text.Append(CultureInfo.InvariantCulture, $"; ahead of the runner-up ({runnerUpMean}) by {Num(gap)}, with one seed: how sure is unknown (add seeds)");
            else if (gap <= sd)
                text.Append(CultureInfo.InvariantCulture, $"; within its seeds' spread of the runner-up ({runnerUpMean}): not settled");
            else
                text.Append(CultureInfo.InvariantCulture, $"; ahead of the runner-up ({runnerUpMean}) by {Num(gap)}, {(sd > 0 ? (gap / sd).ToString("0.#", CultureInfo.InvariantCulture) : "many")} times its seeds' spread");
        }
        text.Append(Mattered(importance));
        // Only where it matters: in a space of six parameters the best sits within 2 % of some range's end about one
        // sweep in four by chance alone. Without an importance yet, the learning rate, the question of the method.
        text.Append(AtTheEdge(space, best.Config, importance.Reason is null ? Named(importance).Select(p => p.Parameter) : [LearningRate]));
        if (next is not null)
            text.Append("; next: ").Append(next);
        double? rate = best.Config.TryGetValue(LearningRate, out var r) && JsonText.TryParseNumber(r, out var x) ? x : null;
        return new SweepAnswer(text.Append('.').ToString(), best.Config, rate);
    }

    /// <summary>The parameters with the largest importance shares: the first always, then up to two more that hold at
    /// least a tenth each (a 2% share is noise at this sample size, and naming it would read as a finding).</summary>
    private static string Mattered(ImportanceResult importance)
    {
        if (importance.Reason is { } reason)
            return "; what mattered most is not known yet: " + reason;
        var named = Named(importance);
        return named.Count == 0 ? ""
            : "; mattered most (importance): " + string.Join(", ", named.Select(p => $"{p.Parameter} {(100 * p.Share).ToString("0", CultureInfo.InvariantCulture)}%"));
    }

    private static List<ParameterImportance> Named(ImportanceResult importance) =>
        importance.Parameters.Where((p, i) => i == 0 || (i < 3 && p.Share >= 0.1)).ToList();

    /// <summary>"; at the edge of the search: learning_rate = 1 is at the upper end of its range (0.001 to 1), ..." for
    /// those of <paramref name="names"/> whose best value lies at an end of the space (<see cref="SpaceEdge"/>); and for
    /// any parameter whose best value the space no longer holds (an edit narrowed it, or a warm start brought the run from
    /// a wider sweep), "; outside the space searched now: ...", since the search will not come back to it.</summary>
    private static string AtTheEdge(SearchSpace space, IReadOnlyDictionary<string, string> best, IEnumerable<string> names)
    {
        var edges = names
            .Select(n => space.Find(n) is { } p && best.TryGetValue(n, out var v) ? SpaceEdge.Describe(p, v) : null)
            .OfType<string>()
            .ToList();
        var outside = space.Parameters
            .Select(p => best.TryGetValue(p.Name, out var v) ? SpaceEdge.Outside(p, v) : null)
            .OfType<string>()
            .ToList();
        return (edges.Count == 0 ? "" : "; at the edge of the search: " + string.Join(", ", edges) + (edges.Count == 1 ? ", so a better value may lie beyond it" : ", so better values may lie beyond them"))
            + (outside.Count == 0 ? "" : "; outside the space searched now (its run came before an edit or from a warm start): " + string.Join(", ", outside));
    }

    /// <summary>Runs grouped by their configuration without the seed: the replicates of one configuration.</summary>
    private static List<Group> Configurations(IReadOnlyList<RunSummary> runs) =>
        runs.GroupBy(r => Key(r.Config), StringComparer.Ordinal)
            .Select(g =>
            {
                var members = g.ToList();
                var finals = members.Where(r => Is(r, "Completed") && r.FinalValLoss is { } f && double.IsFinite(f)).Select(r => r.FinalValLoss!.Value).ToArray();
                double? mean = finals.Length > 0 ? finals.Average() : null;
                double? sd = finals.Length > 1 ? Math.Sqrt(finals.Sum(f => (f - mean!.Value) * (f - mean.Value)) / (finals.Length - 1)) : null;
                var config = members[0].Config.Where(kv => kv.Key != Seed).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
                return new Group(config, members.Count, finals.Length, members.Count(r => Is(r, "Diverged")), mean, sd);
            })
            .ToList();

    private static string Key(IReadOnlyDictionary<string, string> config) =>
        string.Join("\n", config.Where(kv => kv.Key != Seed).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key + "=" + (JsonText.TryCanonicalize(kv.Value) ?? kv.Value)));

    private static double Rate(Group g) => JsonText.TryParseNumber(g.Config[LearningRate], out var x) ? x : double.NaN;

    private static string RateText(Group g) => AnswerValue.Text(g.Config[LearningRate]);

    /// <summary>A configuration's mean final objective, as the user reads it (a maximised metric not negated).</summary>
    private static string Loss(Group g, Objective objective)
    {
        var mean = Num(objective.Shown(g.Mean!.Value));
        return g.Sd is { } sd ? $"{mean} ± {Num(sd)} (mean ± sd over {g.Finished} seeds{(objective.SeedsNote is { } note ? ", " + note : "")})"
            : g.Finished == 1 ? $"{mean} (one seed)" : mean;
    }

    private static string ConfigText(IReadOnlyDictionary<string, string> config) => config.Count == 0
        ? "the only one"
        : AnswerValue.Config(config);

    /// <summary>Four significant digits; a small number in a sentence as a plain decimal (by 0.00005695, not by 5.695E-05),
    /// below a millionth as G4 writes it.</summary>
    private static string Num(double? x)
    {
        if (x is not { } v)
            return "-";
        var text = v.ToString("G4", CultureInfo.InvariantCulture);
        return text.Contains('E', StringComparison.Ordinal) && Math.Abs(v) is >= 1e-6 and < 1
            ? ((decimal)double.Parse(text, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)
            : text;
    }

    private static bool Is(RunSummary run, string status) => string.Equals(run.Status, status, StringComparison.OrdinalIgnoreCase);

    private sealed record Group(IReadOnlyDictionary<string, string> Config, int Runs, int Finished, int Diverged, double? Mean, double? Sd);
}
