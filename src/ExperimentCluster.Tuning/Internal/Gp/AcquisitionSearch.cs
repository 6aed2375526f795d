namespace ExperimentCluster.Tuning;

/// <summary>Finds a point of high log expected improvement: scores random candidates (and the warm starts: the best
/// trials), then refines the best few by a coordinate search, the way Optuna's GP sampler optimises its acquisition over
/// mixed spaces: a real parameter moves by steps that halve when no step helps; a list or an integer range tries each of its
/// values (up to <see cref="ExhaustiveChoices"/>, else its neighbours). Every point scored is a point of the space
/// (snapped), since expected improvement between two integers is not what a trial would get.</summary>
internal sealed class AcquisitionSearch(GpEncoding encoding, Func<double[], double> score)
{
    private const int ExhaustiveChoices = 16;
    private const double FirstStep = 0.1;
    private const double LastStep = 1e-3;
    private const int MaxRounds = 40;

    private readonly double[]?[] _choices = Enumerable.Range(0, encoding.ParameterCount).Select(encoding.Choices).ToArray();

    public (double[] Point, double Score) Maximise(IReadOnlyList<double[]> warmStarts, int candidates, int refinements, ref SplitMix64 rng)
    {
        var pool = new List<(double[] Point, double Score)>(candidates + warmStarts.Count);
        foreach (var start in warmStarts)
        {
            var x = (double[])start.Clone();
            encoding.Snap(x);
            pool.Add((x, score(x)));
        }

        for (var i = 0; i < candidates; i++)
        {
            var x = new double[encoding.Dimensions];
            encoding.Random(x, ref rng);
            pool.Add((x, score(x)));
        }

        // Stable order: the best scores first, ties by position in the pool (a pure function of the seed).
        var starts = pool.Select((c, i) => (c.Point, c.Score, Index: i))
            .OrderByDescending(c => double.IsNaN(c.Score) ? double.NegativeInfinity : c.Score).ThenBy(c => c.Index)
            .Take(refinements)
            .ToArray();
        var best = (Point: starts[0].Point, starts[0].Score);
        foreach (var start in starts)
        {
            var refined = Refine(start.Point, start.Score);
            if (refined.Score > best.Score)
            {
                best = refined;
            }
        }

        return best;
    }

    private (double[] Point, double Score) Refine(double[] start, double startScore)
    {
        var x = (double[])start.Clone();
        var current = startScore;
        var step = FirstStep;
        for (var round = 0; round < MaxRounds && step >= LastStep; round++)
        {
            var improved = false;
            for (var p = 0; p < encoding.ParameterCount; p++)
            {
                improved |= _choices[p] is { } choices ? TryChoices(x, p, choices, ref current) : TrySteps(x, p, step, ref current);
            }

            if (!improved)
            {
                step /= 2;
            }
        }

        return (x, current);
    }

    private bool TrySteps(double[] x, int parameter, double step, ref double current)
    {
        var at = encoding.Offset(parameter);
        var origin = x[at];
        var improved = false;
        foreach (var candidate in (ReadOnlySpan<double>)[origin - step, origin + step])
        {
            x[at] = Math.Clamp(candidate, 0, 1);
            var value = score(x);
            if (value > current)
            {
                (current, origin, improved) = (value, x[at], true);
            }
        }

        x[at] = origin;
        return improved;
    }

    private bool TryChoices(double[] x, int parameter, double[] choices, ref double current)
    {
        var now = encoding.ChoiceOf(x, parameter, choices);
        var chosen = now;
        IEnumerable<int> tries = choices.Length <= ExhaustiveChoices
            ? Enumerable.Range(0, choices.Length)
            : new[] { now - 4, now - 2, now - 1, now + 1, now + 2, now + 4 }.Where(i => i >= 0 && i < choices.Length);
        foreach (var choice in tries)
        {
            if (choice == now)
            {
                continue;
            }

            encoding.SetChoice(x, parameter, choices, choice);
            var value = score(x);
            if (value > current)
            {
                (current, chosen) = (value, choice);
            }
        }

        encoding.SetChoice(x, parameter, choices, chosen);
        return chosen != now;
    }
}
