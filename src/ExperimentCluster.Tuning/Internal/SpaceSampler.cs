namespace ExperimentCluster.Tuning;

/// <summary>Draws values from domains and maps them to and from the real line the estimators work on.</summary>
internal static class SpaceSampler
{
    private const ulong RandomSalt = 0x52414E444F4D5F31UL;

    /// <summary>The random configuration of trial <paramref name="number"/>: a pure function of (seed, number). Each parameter
    /// has its own stream (keyed by its name), so adding a parameter leaves the others' draws unchanged.</summary>
    public static TrialConfig RandomConfig(SearchSpace space, ulong seed, int number, int attempt = 0)
    {
        var values = new List<KeyValuePair<string, string>>(space.Parameters.Count);
        foreach (var parameter in space.Parameters)
        {
            var rng = attempt == 0
                ? SplitMix64.For(seed, RandomSalt, (ulong)number, SplitMix64.Hash(parameter.Name))
                : SplitMix64.For(seed, RandomSalt, (ulong)number, SplitMix64.Hash(parameter.Name), (ulong)attempt);
            values.Add(new(parameter.Name, Sample(parameter.Domain, ref rng)));
        }

        return space.Prune(values);
    }

    public static string Sample(Domain domain, ref SplitMix64 rng) => domain switch
    {
        ValuesDomain values => values.Values[(int)rng.NextBelow((ulong)values.Values.Count)],
        UniformDomain u => JsonText.FormatDouble(Math.Clamp(u.Low + (rng.NextDouble() * (u.High - u.Low)), u.Low, u.High)),
        LogUniformDomain l => JsonText.FormatDouble(Math.Clamp(
            Math.Exp(Math.Log(l.Low) + (rng.NextDouble() * (Math.Log(l.High) - Math.Log(l.Low)))), l.Low, l.High)),
        IntUniformDomain { Log: false } i => JsonText.FormatInteger(i.Low + (long)rng.NextBelow((ulong)(i.High - i.Low) + 1)),
        IntUniformDomain i => FromUnit(i, rng.NextDouble()),
        _ => throw new InvalidOperationException($"unknown domain {domain.GetType().Name}"),
    };

    /// <summary>The interval a numeric domain lives on for the estimators: log space for log domains, and integers widened by
    /// half a step on each side so that every integer owns an equal slice.</summary>
    public static (double Low, double High) Bounds(Domain domain) => domain switch
    {
        UniformDomain u => (u.Low, u.High),
        LogUniformDomain l => (Math.Log(l.Low), Math.Log(l.High)),
        IntUniformDomain { Log: false } i => (i.Low - 0.5, i.High + 0.5),
        IntUniformDomain i => (Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5)),
        _ => throw new InvalidOperationException($"{domain.GetType().Name} is not numeric"),
    };

    /// <summary>A stored value on the estimators' line; false when it is not a value of the domain.</summary>
    public static bool TryToReal(Domain domain, string text, out double x)
    {
        x = 0;
        if (!domain.Contains(text) || !JsonText.TryParseNumber(text, out var value))
        {
            return false;
        }

        x = domain is LogUniformDomain or IntUniformDomain { Log: true } ? Math.Log(value) : value;
        return true;
    }

    /// <summary>The value at fraction <paramref name="u"/> (0 to 1) of a numeric domain's <see cref="Bounds"/>.</summary>
    public static string FromUnit(Domain domain, double u)
    {
        var (low, high) = Bounds(domain);
        return FromReal(domain, low + (u * (high - low)));
    }

    /// <summary>A point of the estimators' line back as a value of the domain (rounded for integers, clamped to the bounds).</summary>
    public static string FromReal(Domain domain, double x) => domain switch
    {
        UniformDomain u => JsonText.FormatDouble(Math.Clamp(x, u.Low, u.High)),
        LogUniformDomain l => JsonText.FormatDouble(Math.Clamp(Math.Exp(x), l.Low, l.High)),
        IntUniformDomain { Log: false } i => JsonText.FormatInteger(Math.Clamp((long)Math.Round(x, MidpointRounding.AwayFromZero), i.Low, i.High)),
        IntUniformDomain i => JsonText.FormatInteger(Math.Clamp((long)Math.Round(Math.Exp(x), MidpointRounding.AwayFromZero), i.Low, i.High)),
        _ => throw new InvalidOperationException($"{domain.GetType().Name} is not numeric"),
    };
}
