namespace ExperimentCluster.Tuning;

/// <summary>One TPE suggestion from a split: fit l(x) to the good group and g(x) to the rest, draw n_candidates points from
/// l, keep the one with the highest log l(x) - log g(x) (the first on a tie). Univariate: each parameter on its own, with
/// its own generator; multivariate: all parameters as one point, so that l keeps what went together in the good trials
/// (a learning rate that is good with batch 16 is not proposed with batch 128 just because each is good somewhere).</summary>
internal static class TpeDraw
{
    public static TrialConfig Univariate(SearchSpace space, TpeSplit split, int candidates, double priorWeight, Func<Parameter, SplitMix64> generator)
    {
        var values = new List<KeyValuePair<string, string>>(space.Parameters.Count);
        foreach (var parameter in space.Parameters)
        {
            var rng = generator(parameter);
            values.Add(new(parameter.Name, Choose([parameter], split, candidates, priorWeight, ref rng)[0]));
        }

        return space.Prune(values);
    }

    /// <summary>The unconditional parameters as one point; a conditional one on its own, from the trials that have it (as
    /// <see cref="Univariate"/>, with <paramref name="generator"/>): a joint model over every parameter would leave out
    /// each trial that lacks one (Optuna's multivariate TPE also falls back to independent draws for them).</summary>
    public static TrialConfig Multivariate(SearchSpace space, TpeSplit split, int candidates, double priorWeight, SplitMix64 rng, Func<Parameter, SplitMix64> generator)
    {
        var joint = space.Parameters.Where(p => p.When is null).ToArray();
        var texts = Choose(joint, split, candidates, priorWeight, ref rng);
        var values = joint.Select((p, i) => new KeyValuePair<string, string>(p.Name, texts[i])).ToList();
        foreach (var parameter in space.Parameters.Where(p => p.When is not null))
        {
            var own = generator(parameter);
            values.Add(new(parameter.Name, Choose([parameter], split, candidates, priorWeight, ref own)[0]));
        }

        return space.Prune(values);
    }

    private static string[] Choose(IReadOnlyList<Parameter> parameters, TpeSplit split, int candidates, double priorWeight, ref SplitMix64 rng)
    {
        var domains = parameters.Select(p => p.Domain).ToArray();
        var l = new ParzenEstimator(domains, Points(parameters, split.Good), priorWeight);
        var g = new ParzenEstimator(domains, Points(parameters, split.Rest), priorWeight);
        string[]? best = null;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < candidates; i++)
        {
            var draw = l.Sample(ref rng);
            var texts = new string[parameters.Count];
            var point = new double[parameters.Count];
            for (var d = 0; d < parameters.Count; d++)
            {
                texts[d] = Text(domains[d], draw[d]);
                // Scored at the value as it will be stored (rounded, clamped, formatted), not at the raw draw.
                TryCoordinate(domains[d], texts[d], out point[d]);
            }

            var score = l.LogDensity(point) - g.LogDensity(point);
            if (best is null || score > bestScore)
            {
                (best, bestScore) = (texts, score);
            }
        }

        return best!;
    }

    /// <summary>The trials' points for these parameters, oldest first; a trial without a valid value for one of them is left
    /// out (Optuna skips a trial that lacks the parameter).</summary>
    private static List<double[]> Points(IReadOnlyList<Parameter> parameters, IReadOnlyList<Trial> trials)
    {
        var points = new List<double[]>(trials.Count);
        foreach (var trial in trials)
        {
            var point = new double[parameters.Count];
            var complete = true;
            for (var d = 0; d < parameters.Count && complete; d++)
            {
                complete = trial.Config.TryGetValue(parameters[d].Name, out var text) && TryCoordinate(parameters[d].Domain, text, out point[d]);
            }

            if (complete)
            {
                points.Add(point);
            }
        }

        return points;
    }

    /// <summary>A stored value as the estimators' coordinate: its place on the line for ranges, its index for lists.</summary>
    public static bool TryCoordinate(Domain domain, string text, out double x)
    {
        if (domain is ValuesDomain values)
        {
            var index = values.IndexOf(text);
            x = index;
            return index >= 0;
        }

        return SpaceSampler.TryToReal(domain, text, out x);
    }

    private static string Text(Domain domain, double x) =>
        domain is ValuesDomain values ? values.Values[(int)x] : SpaceSampler.FromReal(domain, x);
}
