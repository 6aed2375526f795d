using System.Globalization;
using System.Text;

namespace ExperimentCluster.Tuning;

/// <summary>Random search whose learning rate is bounded per architecture by one short learning-rate range test.
/// <list type="number">
/// <item>An architecture is the combination of the space's listed non-learning-rate values (layers, activation, batch size,
/// optimizer... given as lists). Ranges (dropout, momentum, an integer range of widths) do not make a new architecture: a
/// range test per drawn value would cost a test per trial; they are drawn per trial and the range test runs with the
/// draw of the first trial that needed it.</item>
/// <item>Before a trial of an architecture is suggested, the strategy asks for one range-test run for it
/// (<see cref="Measurements"/>, kind <see cref="MeasurementKind"/>). The sweep runs it like any other run (a training slot,
/// checkpoints, resume); the trainer reads the suggested rate off its curve with the project's one range-test rule, and
/// the result comes back in <see cref="SearchContext.Measurements"/>. <see cref="RangeFrom"/> turns it into bounds. The
/// strategy never measures anything itself, so it stays a pure function of the stored history.</item>
/// <item>Trial n draws every other parameter as random search does (a pure function of seed and n) and its learning rate
/// log-uniformly in [suggested / below, suggested x above] of its architecture (defaults 10 and 3), cut to the domain,
/// which brackets the best fixed rate around the suggestion. With a list of rates, one of the listed rates inside the
/// bounds is drawn (the one nearest the suggestion if none is).</item>
/// </list>
/// On a finite space a taken point is redrawn as in random search. A suggestion whose architecture's range test has not
/// ended ends the answer there (a prefix), so nothing is suggested with bounds the sweep does not hold yet.
/// <para>Settings: parameter ("learning_rate"), below (10), above (3), min_rate and max_rate: the range the test sweeps
/// (default: the low end of the learning-rate domain to ten times its high end, see <see cref="TestRange"/>), steps (100):
/// the test's mini-batches.</para></summary>
public sealed class LrRangeSearch : ISearchStrategy
{
    /// <summary>The run kind of a range test; the silos' trainer catalog knows it by this name.</summary>
    public const string MeasurementKind = "lr_range_test";

    public IReadOnlyList<string> MeasurementKinds => [MeasurementKind];

    private const ulong RateSalt = 0x4C5252414E474531UL;

    public LrRangeSearch(string parameter = "learning_rate", double below = 10, double above = 3, double? minRate = null, double? maxRate = null, int steps = 100)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameter);
        if (!(below >= 1 && double.IsFinite(below)) || !(above >= 1 && double.IsFinite(above)) || below * above <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(below), "below and above are finite factors of at least 1, not both 1");
        }

        if (minRate is { } min && !(min > 0 && double.IsFinite(min)) || maxRate is { } max && !(max > 0 && double.IsFinite(max)) || minRate >= maxRate)
        {
            throw new ArgumentOutOfRangeException(nameof(minRate), "0 < min_rate < max_rate, both finite");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 5);
        ParameterName = parameter;
        Below = below;
        Above = above;
        MinRate = minRate;
        MaxRate = maxRate;
        Steps = steps;
    }

    public string ParameterName { get; }

    public double Below { get; }

    public double Above { get; }

    /// <summary>The rate the range test starts from; null: the low end of the learning-rate domain.</summary>
    public double? MinRate { get; }

    /// <summary>The rate the range test ends at (unless the loss explodes first); null: ten times the high end of the domain,
    /// so that the test sees where training blows up.</summary>
    public double? MaxRate { get; }

    /// <summary>The range test's number of mini-batches.</summary>
    public int Steps { get; }

    public void Validate(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        LearningRateParameter.Find(space, ParameterName, "lr-range",
            $"lr-range bounds '{ParameterName}', which the space does not have (set lr-range.parameter to bound another)");
    }

    public double PlannedTrials(SearchSpace space, int? trials) => Budget.Given(trials, "lr-range");

    /// <summary>The rates the range test sweeps for <paramref name="space"/>. By default the learning-rate domain (and a decade
    /// above it): a test over many more decades spends its few steps where nothing happens and its early noise can look like
    /// the steepest fall.</summary>
    public (double Min, double Max) TestRange(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        Validate(space);
        var (low, high) = Domain(space.Find(ParameterName)!.Domain);
        var min = MinRate ?? low;
        var max = MaxRate ?? Math.Max(high * 10, min * 10);
        return min < max ? (min, max) : throw new TuningException("lr-range.max_rate", $"the range test needs min_rate {min} below max_rate {max}");
    }

    /// <summary>The architecture of a configuration: its values of the space's listed parameters other than the learning
    /// rate, as one JSON object (<c>{}</c> when there are none: one range test for the whole sweep).</summary>
    public string ArchitectureKey(SearchSpace space, IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(config);
        return new TrialConfig(space.Parameters
            .Where(p => p.Name != ParameterName && p.Domain is ValuesDomain && config.ContainsKey(p.Name))
            .Select(p => new KeyValuePair<string, string>(p.Name, config[p.Name]))).Key;
    }

    /// <summary>The bounds for a range test's suggested rate: [suggested / below, suggested x above], cut to the domain. A
    /// band that falls wholly outside the domain keeps its width at the nearer end; no usable suggestion (NaN, zero) gives
    /// the whole domain.</summary>
    public LrRange RangeFrom(SearchSpace space, double suggested)
    {
        ArgumentNullException.ThrowIfNull(space);
        Validate(space);
        var (low, high) = Domain(space.Find(ParameterName)!.Domain);
        if (!(suggested > 0 && double.IsFinite(suggested)))
        {
            return new LrRange(double.NaN, low, high);
        }

        var width = Math.Log(Below * Above);
        var lower = Math.Log(suggested / Below);
        var upper = Math.Log(suggested * Above);
        if (upper <= Math.Log(low))
        {
            return new LrRange(suggested, low, Math.Min(high, Math.Exp(Math.Log(low) + width)));
        }

        if (lower >= Math.Log(high))
        {
            return new LrRange(suggested, Math.Max(low, Math.Exp(Math.Log(high) - width)), high);
        }

        return new LrRange(suggested, Math.Clamp(Math.Exp(lower), low, high), Math.Clamp(Math.Exp(upper), low, high));
    }

    /// <summary>One range test per architecture that the next <paramref name="count"/> suggestions need and the sweep has not
    /// run or started yet. The configuration's learning rate is a placeholder: the test sets the rate of every step itself.</summary>
    public IReadOnlyList<MeasurementRequest> Measurements(SearchContext context, int count)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (min, max) = TestRange(context.Space);
        var asked = context.Measurements.Where(m => m.Kind == MeasurementKind)
            .Select(m => ArchitectureKey(context.Space, m.Config)).ToHashSet(StringComparer.Ordinal);
        var settings = new Dictionary<string, double>(StringComparer.Ordinal) { ["min_rate"] = min, ["max_rate"] = max, ["steps"] = Steps };
        var missing = new Dictionary<string, MeasurementRequest>(StringComparer.Ordinal);
        Walk(context, count, (key, config) =>
        {
            if (!asked.Contains(key))
            {
                missing.TryAdd(key, new MeasurementRequest(MeasurementKind, config, settings));
            }

            return true;
        });
        return [.. missing.Values];
    }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count) =>
        Walk(context, count, (_, _) => false);

    /// <summary>The bounds of every architecture whose range test has ended, by architecture key.</summary>
    public IReadOnlyDictionary<string, LrRange> Ranges(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ranges = new Dictionary<string, LrRange>(StringComparer.Ordinal);
        foreach (var m in context.Measurements.Where(m => m.Kind == MeasurementKind && m.Finished))
        {
            ranges.TryAdd(ArchitectureKey(context.Space, m.Config), RangeFrom(context.Space, m.Value ?? double.NaN));
        }

        return ranges;
    }

    public bool IsFinished(SearchContext context) => Budget.Spent(context) || Fresh.Exhausted(context);

    /// <summary>Its rates are drawn log-uniformly in each architecture's band (and any other range uniformly), so they
    /// rarely repeat: summarised by bucket. Its refinement is still a grid (<see cref="ISearchStrategy.SamplesRanges"/>).</summary>
    public bool DrawsFromRanges => true;

    public string Explain(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ranges = Ranges(context);
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"Learning-rate range search (seed {context.Seed}): {context.History.Count} of {context.MaxTrials} trials started; {ranges.Count} range test(s), {ParameterName} drawn log-uniformly in [suggested / {Settings.Format(Below)}, suggested x {Settings.Format(Above)}]."));
        foreach (var (key, range) in ranges.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var suggested = double.IsNaN(range.Suggested) ? "no suggestion (whole domain)" : $"suggested {Format(range.Suggested)}";
            text.Append(CultureInfo.InvariantCulture, $"\n  {ArchitectureText(key)}: {suggested}, bounds [{Format(range.Lower)}, {Format(range.Upper)}]");
        }

        return text.ToString();
    }

    /// <summary>An architecture as the answer writes a configuration (`batch_size=16 layers=[32]`), or "every run" for a
    /// space with none to tell apart; its key's JSON (`{}`, `{"batch_size":16}`) read as code, not as the search's words.</summary>
    private static string ArchitectureText(string key) =>
        System.Text.Json.Nodes.JsonNode.Parse(key) is System.Text.Json.Nodes.JsonObject { Count: > 0 } values
            ? AnswerValue.Config(values.ToDictionary(kv => kv.Key, kv => kv.Value!.ToJsonString(), StringComparer.Ordinal))
            : "every run";

    internal static LrRangeSearch FromSettings(Settings settings)
    {
        var parameter = settings.String("parameter", "learning_rate");
        var below = settings.Double("below", 10, v => v >= 1, "at least 1");
        var above = settings.Double("above", 3, v => v >= 1, "at least 1");
        if (below * above <= 1)
        {
            throw settings.Bad("above", "below and above are both 1: the bounds would be a single rate");
        }

        var minRate = settings.OptionalDouble("min_rate", v => v > 0, "positive");
        var maxRate = settings.OptionalDouble("max_rate", v => v > 0 && !(v <= minRate), "positive and above min_rate");
        var steps = settings.Int("steps", 100, v => v is >= 5 and <= 100_000, "between 5 and 100000");
        return new LrRangeSearch(parameter, below, above, minRate, maxRate, steps);
    }

    /// <summary>Draws trials in order like random search. <paramref name="onMissing"/> sees each trial whose architecture's range
    /// test has not ended: true skips over it (to list them all), false ends the answer there.</summary>
    private List<IReadOnlyDictionary<string, string>> Walk(SearchContext context, int count, Func<string, TrialConfig, bool> onMissing)
    {
        ArgumentNullException.ThrowIfNull(context);
        Validate(context.Space);
        var n = Budget.Remaining(context, count);
        var finite = FiniteSpace.TryCreate(context.Space);
        var taken = finite?.Taken(context);
        var ranges = Ranges(context);
        var result = new List<IReadOnlyDictionary<string, string>>(n);
        for (var number = context.History.Count; number < context.History.Count + n; number++)
        {
            var config = Fresh.Pick(finite, taken, attempt => Draw(context, ranges, number, attempt), context.Seed, number);
            if (config is null)
            {
                break;
            }

            var key = ArchitectureKey(context.Space, config);
            if (!ranges.ContainsKey(key))
            {
                if (onMissing(key, config))
                {
                    continue;
                }

                break;
            }

            result.Add(config);
        }

        return result;
    }

    /// <summary>Trial <paramref name="number"/>'s configuration: the random draw, with the learning rate redrawn inside its
    /// architecture's bounds (left as drawn when the architecture has none yet: the caller then stops or only lists it).</summary>
    private TrialConfig Draw(SearchContext context, IReadOnlyDictionary<string, LrRange> ranges, int number, int attempt)
    {
        var config = SpaceSampler.RandomConfig(context.Space, context.Seed, number, attempt);
        if (!ranges.TryGetValue(ArchitectureKey(context.Space, config), out var range))
        {
            return config;
        }

        var rng = SplitMix64.For(context.Seed, RateSalt, (ulong)number, (ulong)attempt);
        var rate = Rate(context.Space.Find(ParameterName)!.Domain, range, ref rng);
        return new TrialConfig(config.Select(kv => kv.Key == ParameterName ? new KeyValuePair<string, string>(kv.Key, rate) : kv));
    }

    private static string Rate(Domain domain, LrRange range, ref SplitMix64 rng)
    {
        if (domain is ValuesDomain values)
        {
            var rates = values.Values.Select(v => (Text: v, Value: double.Parse(v, CultureInfo.InvariantCulture))).ToList();
            var inside = rates.Where(r => r.Value >= range.Lower * (1 - 1e-12) && r.Value <= range.Upper * (1 + 1e-12)).ToList();
            if (inside.Count > 0)
            {
                return inside[(int)rng.NextBelow((ulong)inside.Count)].Text;
            }

            var target = double.IsNaN(range.Suggested) ? Math.Sqrt(range.Lower * range.Upper) : range.Suggested;
            return rates.MinBy(r => Math.Abs(Math.Log(r.Value / target))).Text;
        }

        var (low, high) = Domain(domain);
        var lower = Math.Clamp(range.Lower, low, high);
        var upper = Math.Clamp(range.Upper, lower, high);
        var x = Math.Exp(Math.Log(lower) + (rng.NextDouble() * (Math.Log(upper) - Math.Log(lower))));
        return JsonText.FormatDouble(Math.Clamp(x, lower, upper));
    }

    private static (double Low, double High) Domain(Domain domain) => domain switch
    {
        ValuesDomain values => (
            values.Values.Min(v => double.Parse(v, CultureInfo.InvariantCulture)),
            values.Values.Max(v => double.Parse(v, CultureInfo.InvariantCulture))),
        LogUniformDomain l => (l.Low, l.High),
        UniformDomain u => (u.Low, u.High),
        _ => throw new InvalidOperationException("validated"),
    };

    private static string Format(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
