namespace ExperimentCluster.Tuning;

/// <summary>The unit cube the Gaussian process works in, laid out as Optuna's GP sampler lays out its space: every numeric
/// parameter is one column scaled to [0, 1] (log-uniform and logarithmic integer ranges in log space; integers widened by
/// half a step each side, as <see cref="SpaceSampler.Bounds"/> widens them, so that every integer owns an equal slice),
/// and a list of k values is k one-hot columns. Decoding rounds integers and takes the largest one-hot column, so any
/// point of the cube decodes to a configuration of the space; <see cref="Snap"/> moves a point onto the one it decodes to.
/// <para>One departure from Optuna, on by default (<c>orderedLists</c>): a list whose values are all numbers (batch sizes
/// 16/32/64/128, widths, rates) is one ordered column, each value at its place on a log scale when all are positive (on a
/// linear one otherwise), scaled to [0, 1]; decoding takes the nearest value. As k one-hot columns every value is equally
/// far from every other, so the process learns nothing about 64 from 32 and 128, and each such list adds k - 1 dimensions
/// for 20 or so observations to pin down. Measured (bench/SEARCH_RESULTS.md, "GP: lists of numbers as one ordered column";
/// `bench search --trials 30 --setups gp`, 60 seeds): 0.0238 against one-hot's 0.0242 (a tie head to head, lower on 29 of
/// 60 seeds), and lower than TPE's 0.0244 on 36 of 60 seeds against one-hot's 29.</para></summary>
internal sealed class GpEncoding
{
    private readonly Parameter[] _parameters;
    private readonly int[] _offsets;
    private readonly (double Low, double High)[] _bounds;

    /// <summary>Per parameter, for a list of numbers encoded as one ordered column: each value's place in [0, 1].</summary>
    private readonly double[]?[] _places;

    private readonly SearchSpace _space;

    public GpEncoding(SearchSpace space, bool orderedLists = true)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        _parameters = [.. space.Parameters];
        _offsets = new int[_parameters.Length];
        _bounds = new (double, double)[_parameters.Length];
        _places = new double[]?[_parameters.Length];
        var column = 0;
        for (var p = 0; p < _parameters.Length; p++)
        {
            _offsets[p] = column;
            _places[p] = orderedLists && _parameters[p].Domain is ValuesDomain list ? Places(list) : null;
            if (_parameters[p].Domain is ValuesDomain values)
            {
                column += _places[p] is null ? values.Values.Count : 1;
            }
            else
            {
                _bounds[p] = SpaceSampler.Bounds(_parameters[p].Domain);
                column++;
            }
        }

        Dimensions = column;
    }

    /// <summary>Columns of an encoded point.</summary>
    public int Dimensions { get; }

    public int ParameterCount => _parameters.Length;

    /// <summary>Whether <paramref name="parameter"/> is one-hot columns (a list not encoded as one ordered column).</summary>
    public bool IsCategorical(int parameter) => _parameters[parameter].Domain is ValuesDomain && _places[parameter] is null;

    /// <summary>The first column of <paramref name="parameter"/>.</summary>
    public int Offset(int parameter) => _offsets[parameter];

    /// <summary>The columns of <paramref name="parameter"/>: a one-hot list's length, or 1 (up to the next parameter's first
    /// column; the kernel asks for it per pair of points, so it is read off the layout rather than the domain).</summary>
    public int Width(int parameter) => (parameter + 1 < _offsets.Length ? _offsets[parameter + 1] : Dimensions) - _offsets[parameter];

    /// <summary>The discrete choices of a list or an integer range as encoded column values (an integer range: the centre of
    /// each integer's slice; an ordered list: the values' places, in order; a list: the value indexes); null for a
    /// real-valued parameter.</summary>
    public double[]? Choices(int parameter)
    {
        var domain = _parameters[parameter].Domain;
        if (_places[parameter] is { } places)
        {
            return [.. places.Order()];
        }

        switch (domain)
        {
            case ValuesDomain values:
                return Enumerable.Range(0, values.Values.Count).Select(i => (double)i).ToArray();
            case IntUniformDomain range:
                var count = range.High - range.Low + 1;
                var choices = new double[count];
                for (long i = 0; i < count; i++)
                {
                    SpaceSampler.TryToReal(domain, JsonText.FormatInteger(range.Low + i), out var x);
                    choices[i] = Scale(parameter, x);
                }

                return choices;
            default:
                return null;
        }
    }

    /// <summary>The point of <paramref name="config"/>; null when a parameter is missing or holds a value outside its domain
    /// (a history written under another space). A conditional parameter the configuration does not read sits at 0 in its
    /// columns, one fixed place for all such configurations (they train alike whatever its value).</summary>
    public double[]? Encode(IReadOnlyDictionary<string, string> config)
    {
        var x = new double[Dimensions];
        for (var p = 0; p < _parameters.Length; p++)
        {
            if (!SearchSpace.IsActive(_parameters[p], config))
            {
                continue;
            }

            if (!config.TryGetValue(_parameters[p].Name, out var text))
            {
                return null;
            }

            if (_parameters[p].Domain is ValuesDomain values)
            {
                var index = values.IndexOf(text);
                if (index < 0)
                {
                    return null;
                }

                if (_places[p] is { } places)
                {
                    x[_offsets[p]] = places[index];
                }
                else
                {
                    x[_offsets[p] + index] = 1;
                }
            }
            else if (SpaceSampler.TryToReal(_parameters[p].Domain, text, out var real))
            {
                x[_offsets[p]] = Scale(p, real);
            }
            else
            {
                return null;
            }
        }

        return x;
    }

    /// <summary>The configuration a point of the cube stands for.</summary>
    public TrialConfig Decode(ReadOnlySpan<double> x)
    {
        var values = new List<KeyValuePair<string, string>>(_parameters.Length);
        for (var p = 0; p < _parameters.Length; p++)
        {
            var domain = _parameters[p].Domain;
            var text = domain is ValuesDomain list
                ? list.Values[_places[p] is { } places ? Nearest(places, x[_offsets[p]]) : ArgMax(x.Slice(_offsets[p], list.Values.Count))]
                : SpaceSampler.FromReal(domain, _bounds[p].Low + (Math.Clamp(x[_offsets[p]], 0, 1) * (_bounds[p].High - _bounds[p].Low)));
            values.Add(new(_parameters[p].Name, text));
        }

        return _space.Prune(values);
    }

    /// <summary>Moves <paramref name="x"/> onto the point of the configuration it decodes to: integers to the centre of their
    /// slice, lists to an exact one-hot, reals clamped into [0, 1].</summary>
    public void Snap(Span<double> x)
    {
        for (var p = 0; p < _parameters.Length; p++)
        {
            var domain = _parameters[p].Domain;
            var at = _offsets[p];
            if (_places[p] is { } places)
            {
                x[at] = places[Nearest(places, x[at])];
            }
            else if (domain is ValuesDomain list)
            {
                var k = ArgMax(x.Slice(at, list.Values.Count));
                x.Slice(at, list.Values.Count).Clear();
                x[at + k] = 1;
            }
            else
            {
                var (low, high) = _bounds[p];
                var text = SpaceSampler.FromReal(domain, low + (Math.Clamp(x[at], 0, 1) * (high - low)));
                x[at] = domain is IntUniformDomain && SpaceSampler.TryToReal(domain, text, out var real) ? Scale(p, real) : Math.Clamp(x[at], 0, 1);
            }
        }

        if (_space.HasConditions)
        {
            // Where the configuration does not read a parameter, its columns go to 0, where Encode puts such trials.
            var config = Decode(x);
            for (var p = 0; p < _parameters.Length; p++)
            {
                if (!config.ContainsKey(_parameters[p].Name))
                    x.Slice(_offsets[p], _parameters[p].Domain is ValuesDomain list && _places[p] is null ? list.Values.Count : 1).Clear();
            }
        }
    }

    /// <summary>Sets parameter <paramref name="parameter"/> of <paramref name="x"/> to choice <paramref name="choice"/> of
    /// <see cref="Choices"/>.</summary>
    public void SetChoice(Span<double> x, int parameter, double[] choices, int choice)
    {
        if (IsCategorical(parameter))
        {
            x.Slice(_offsets[parameter], choices.Length).Clear();
            x[_offsets[parameter] + choice] = 1;
        }
        else
        {
            x[_offsets[parameter]] = choices[choice];
        }
    }

    /// <summary>The index in <see cref="Choices"/> that <paramref name="x"/> holds for a discrete parameter.</summary>
    public int ChoiceOf(ReadOnlySpan<double> x, int parameter, double[] choices)
    {
        if (IsCategorical(parameter))
        {
            return ArgMax(x.Slice(_offsets[parameter], choices.Length));
        }

        return Nearest(choices, x[_offsets[parameter]]);
    }

    /// <summary>A uniformly random point of the cube, snapped (each list value and each integer slice equally likely).</summary>
    public void Random(Span<double> x, ref SplitMix64 rng)
    {
        x.Clear();
        for (var p = 0; p < _parameters.Length; p++)
        {
            if (_places[p] is { } places)
            {
                x[_offsets[p]] = places[(int)rng.NextBelow((ulong)places.Length)];
            }
            else if (_parameters[p].Domain is ValuesDomain list)
            {
                x[_offsets[p] + (int)rng.NextBelow((ulong)list.Values.Count)] = 1;
            }
            else
            {
                x[_offsets[p]] = rng.NextDouble();
            }
        }

        Snap(x);
    }

    private double Scale(int parameter, double real)
    {
        var (low, high) = _bounds[parameter];
        return high > low ? Math.Clamp((real - low) / (high - low), 0, 1) : 0.5;
    }

    /// <summary>The places of a list's values when all are numbers (log scale when all are positive); null otherwise.</summary>
    private static double[]? Places(ValuesDomain list)
    {
        var numbers = new double[list.Values.Count];
        for (var i = 0; i < numbers.Length; i++)
        {
            if (!JsonText.TryParseNumber(list.Values[i], out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                return null;
            }
        }

        if (numbers.All(v => v > 0))
        {
            numbers = [.. numbers.Select(v => Math.Log(v))];
        }

        var (low, high) = (numbers.Min(), numbers.Max());
        return [.. numbers.Select(v => high > low ? (v - low) / (high - low) : 0.5)];
    }

    /// <summary>The index of the place (a point of [0, 1]) nearest <paramref name="x"/> clamped into [0, 1]; the first of a
    /// tie.</summary>
    private static int Nearest(double[] places, double x)
    {
        var at = Math.Clamp(x, 0, 1);
        var best = 0;
        for (var i = 1; i < places.Length; i++)
        {
            if (Math.Abs(places[i] - at) < Math.Abs(places[best] - at))
            {
                best = i;
            }
        }

        return best;
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
