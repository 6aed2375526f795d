using System.Globalization;
using System.Numerics;

namespace ExperimentCluster.Training.Engine;

/// <summary>
/// The range test's loop and its reading of the curve. The suggestion is where the smoothed loss falls fastest per
/// decade of learning rate, looking only at the part of the curve before its minimum: a rate from the steep part
/// still learns quickly, while the minimum itself sits next to the rates where training blows up.
/// </summary>
internal static class LrRangeSearch
{
    // fastai's smoothing: an exponential moving average, bias-corrected so the first points are not pulled to zero.
    private const double Smoothing = 0.98;

    // The curve counts as exploded once the smoothed loss is this many times its best value.
    private const double ExplosionFactor = 4;

    public static LrRangeResult Run<T>(TrainingEngine<T> engine, double min, double max, int steps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var points = new List<LrRangePoint>(steps);
        var average = 0.0;
        var best = double.PositiveInfinity;
        string stop = $"reached the maximum rate {Format(max)}";
        for (var i = 0; i < steps; i++)
        {
            var rate = min * Math.Pow(max / min, (double)i / (steps - 1));
            var loss = engine.RangeStep(i, rate);
            if (!double.IsFinite(loss))
            {
                stop = $"the loss became {(double.IsNaN(loss) ? "NaN" : "infinite")} at rate {Format(rate)}";
                break;
            }
            average = (Smoothing * average) + ((1 - Smoothing) * loss);
            var smoothed = average / (1 - Math.Pow(Smoothing, i + 1));
            points.Add(new LrRangePoint(rate, loss, smoothed));
            best = Math.Min(best, smoothed);
            if (i > 0 && smoothed > ExplosionFactor * best)
            {
                stop = $"the smoothed loss exceeded {ExplosionFactor} times its minimum at rate {Format(rate)}";
                break;
            }
        }
        var (suggested, reason) = Suggest(points);
        return new LrRangeResult(points, suggested, $"{reason}; stopped because {stop}");
    }

    private static (double Rate, string Reason) Suggest(List<LrRangePoint> points)
    {
        if (points.Count < 3)
            return (points.Count > 0 ? points[0].LearningRate : double.NaN, "too few points before the loss exploded: lower the minimum rate");
        var lowest = 0;
        for (var i = 1; i < points.Count; i++)
            if (points[i].SmoothedLoss < points[lowest].SmoothedLoss) lowest = i;
        // A central difference over a window of about a twentieth of the curve, so single noisy batches do not decide;
        // and only within two decades below the minimum: far below it the network barely learns, and what slope there
        // is comes from batch noise and the smoothing's start-up.
        var window = Math.Max(1, points.Count / 20);
        var floor = points[lowest].LearningRate / 100;
        var steepest = -1;
        var steepestSlope = 0.0;
        for (var i = window; i + window <= lowest; i++)
        {
            if (points[i].LearningRate < floor) continue;
            var slope = (points[i + window].SmoothedLoss - points[i - window].SmoothedLoss)
                / (Math.Log10(points[i + window].LearningRate) - Math.Log10(points[i - window].LearningRate));
            if (slope < steepestSlope)
            {
                steepestSlope = slope;
                steepest = i;
            }
        }
        if (steepest < 0)
            return (points[lowest].LearningRate / 10,
                $"the smoothed loss never fell steadily; suggesting a tenth of the rate at its minimum ({Format(points[lowest].LearningRate)})");
        return (points[steepest].LearningRate,
            $"steepest fall of the smoothed loss ({steepestSlope.ToString("G3", CultureInfo.InvariantCulture)} per decade) at rate {Format(points[steepest].LearningRate)}; minimum smoothed loss {points[lowest].SmoothedLoss.ToString("G4", CultureInfo.InvariantCulture)} at rate {Format(points[lowest].LearningRate)}");
    }

    private static string Format(double rate) => rate.ToString("G3", CultureInfo.InvariantCulture);
}
