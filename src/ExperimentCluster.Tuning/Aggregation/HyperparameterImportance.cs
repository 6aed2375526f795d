namespace ExperimentCluster.Tuning;

/// <summary>
/// Which swept hyperparameters mattered: PED-ANOVA (Watanabe, Bansal and Hutter, IJCAI 2023), a pure function of the
/// finished runs' configurations and final validation losses.
/// <para>
/// Why PED-ANOVA and not fANOVA: fANOVA first fits a random forest to the runs and reads the variance decomposition
/// off it, which needs tens of runs, draws random numbers (two computations of the same sweep could disagree), and is
/// heavy for a grain to redo on every results call. PED-ANOVA needs no model: a parameter matters as much as the best
/// runs' values of it are distributed differently from all runs' values (the Pearson divergence of the two densities,
/// which the paper shows equals the fANOVA-style variance of "being among the best" explained by that parameter). It is
/// closed-form, deterministic, and gives a usable answer from a dozen runs. Optuna ships it as PedAnovaImportanceEvaluator.
/// </para>
/// <para>
/// Which runs: Completed runs with a finite final loss are ranked by it; a run that diverged or that a stopping rule
/// stopped is a decided run too, ranked below every completed one (it never is among the best, and where such runs lie
/// is evidence of what mattered: a learning rate that diverges matters). Queued, running, failed and cancelled runs say
/// nothing about their configuration and are left out. Only the space's parameters are measured: a replicate seed is in
/// every run's configuration but not in the space (the per-value rule, <see cref="SweepAnswer.IsHyperparameter"/>).
/// A conditional parameter (<see cref="Parameter.When"/>) is left out, as Optuna's evaluators leave out a parameter not in
/// every trial: only some runs have it, so the best tenth of all runs holds a handful of its values, and a handful looks
/// concentrated whatever mattered (a sweep of 40 TPE trials gave beta1, read by adam alone, 83 % of the importance).
/// </para>
/// </summary>
public static class HyperparameterImportance
{
    /// <summary>The best runs are the best tenth of the decided runs (Optuna's default baseline quantile, the paper's
    /// γ = 0.1): "what it took to be among the best", not "what made a run average".</summary>
    public const double TopQuantile = 0.1;

    /// <summary>At least this many best runs, whatever the quantile: one run's values are a point, not a distribution.</summary>
    public const int MinTopRuns = 2;

    /// <summary>Fewer decided runs than this and the answer is "not enough finished runs": with three runs the two best
    /// are most of them, and every parameter would look alike.</summary>
    public const int MinRuns = 4;

    public static ImportanceResult Of(SearchSpace space, IReadOnlyList<RunSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(runs);
        // A condition names an unconditional parameter, so a space with parameters has some of those.
        var measured = space.Parameters.Where(p => p.When is null).ToList();
        if (measured.Count == 0)
            return ImportanceResult.Unknown("no hyperparameter is swept");
        var ranked = runs.Where(r => Is(r, "Completed") && r.FinalValLoss is { } f && double.IsFinite(f))
            .OrderBy(r => r.FinalValLoss!.Value).ThenBy(r => r.Number).ToList();
        var decided = ranked.Concat(runs.Where(r => Is(r, "Diverged") || Is(r, "Stopped")).OrderBy(r => r.Number)).ToList();
        if (decided.Count < MinRuns || ranked.Count < MinTopRuns)
            return ImportanceResult.Unknown($"not enough finished runs ({ranked.Count} completed of {decided.Count} decided; " +
                $"it takes {MinRuns} decided runs, {MinTopRuns} of them completed)");
        var topCount = Math.Min(ranked.Count, Math.Max(MinTopRuns, (int)Math.Ceiling(TopQuantile * decided.Count)));
        // Runs tied with the last of the best are among the best too: the order between equal losses is arbitrary.
        var cutoff = ranked[topCount - 1].FinalValLoss!.Value;
        var top = ranked.Where(r => r.FinalValLoss!.Value <= cutoff).ToList();
        if (top.Count == decided.Count)
            return ImportanceResult.Unknown("every finished run is among the best: nothing separates them yet");

        var divergences = new List<(string Name, double Value)>();
        foreach (var parameter in measured)
        {
            if (Cells.For(parameter.Domain, decided.Select(r => Value(r, parameter.Name))) is not { } cells)
                continue; // one value only: it cannot have mattered, and gets no share
            var all = cells.Densities(decided.Select(r => Value(r, parameter.Name)));
            var best = cells.Densities(top.Select(r => Value(r, parameter.Name)));
            divergences.Add((parameter.Name, PearsonDivergence(best, all)));
        }
        if (divergences.Count == 0)
            return ImportanceResult.Unknown("every swept hyperparameter has a single value");
        var total = divergences.Sum(d => d.Value);
        var shares = divergences
            .Select(d => new ParameterImportance(d.Name, total > 0 ? d.Value / total : 1.0 / divergences.Count))
            .Concat(measured.Where(p => divergences.All(d => d.Name != p.Name)).Select(p => new ParameterImportance(p.Name, 0)))
            .OrderByDescending(p => p.Share).ThenBy(p => p.Parameter, StringComparer.Ordinal)
            .ToList();
        return new ImportanceResult(shares, null);
    }

    /// <summary>Σ p_all (p_best / p_all − 1)²: zero when the best runs' values are spread like all runs' values.</summary>
    private static double PearsonDivergence(double[] best, double[] all)
    {
        double sum = 0;
        for (var i = 0; i < all.Length; i++)
        {
            var ratio = best[i] / all[i] - 1;
            sum += all[i] * ratio * ratio;
        }
        return sum;
    }

    private static string? Value(RunSummary run, string name) => run.Config.TryGetValue(name, out var v) ? v : null;

    private static bool Is(RunSummary run, string status) => string.Equals(run.Status, status, StringComparison.OrdinalIgnoreCase);
}
