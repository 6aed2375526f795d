using System.Globalization;

namespace ExperimentCluster.Training;

/// <summary>
/// The one rule that reads a learning-rate range test's curve, used by `excl lr-find` and by the lr-range strategy's
/// range-test runs: a tenth of the rate at the lowest smoothed loss (the "valley" of Smith and fast.ai), looking for the
/// lowest point after the first tenth of the curve.
/// <para>Chosen by measurement (bench/range-rule, sgd, 100 steps, both 1e-6..10 and 1e-4..100, five test seeds): on digits,
/// wine, iris and breast_cancer it lands within a decade of the best rate of the grid 0.0001 ... 10 on 120 of 120 curves,
/// where the steepest-fall rule landed on 99 (it picks noise in the early, flat part: seven decades low once) and the plain
/// valley/10 on 119. The one miss of the plain valley was a lucky first mini-batch never beaten later, which is why the
/// start-up tenth is skipped (the smoothing has not settled there). With adam the best rate lies 0.8 to 3.9 decades below
/// the valley, so no fixed divisor fits both: this rule lands within a decade on 60 of 120 adam curves.</para>
/// </summary>
public static class LrRangeRule
{
    /// <summary>The share of the curve, from its start, that is not searched for the minimum.</summary>
    private const int StartUpShare = 10;

    /// <summary>The suggested rate (NaN when the curve has no finite point to read) and how it was read.</summary>
    public static (double Rate, string Reason) Suggest(IReadOnlyList<LrRangePoint> points)
    {
        var lowest = Lowest(points);
        if (lowest < 0)
            return (double.NaN, "no finite loss to read: lower the minimum rate");
        var valley = points[lowest];
        var unfinished = StillFalling(points)
            ? "; the loss still fell at the last rate tested, so the valley may lie beyond it"
            : "";
        return (valley.LearningRate / 10, string.Create(CultureInfo.InvariantCulture,
            $"a tenth of the rate at the lowest smoothed loss ({valley.SmoothedLoss:G4} at rate {Format(valley.LearningRate)}){unfinished}"));
    }

    /// <summary>Whether the curve is lowest at its last rate: it never turned up, so its valley lies at or beyond the test's
    /// end and the suggestion is a floor, not a reading (wine with sgd fell all the way to 10).</summary>
    public static bool StillFalling(IReadOnlyList<LrRangePoint> points)
    {
        var lowest = Lowest(points);
        return lowest >= 0 && lowest == points.Count - 1;
    }

    /// <summary>The index of the lowest finite smoothed loss after the start-up share of the curve; -1 when there is none.</summary>
    private static int Lowest(IReadOnlyList<LrRangePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var lowest = -1;
        for (var i = points.Count / StartUpShare; i < points.Count; i++)
        {
            if (double.IsFinite(points[i].SmoothedLoss) && (lowest < 0 || points[i].SmoothedLoss < points[lowest].SmoothedLoss))
                lowest = i;
        }
        return lowest;
    }

    internal static string Format(double rate) => rate.ToString("G3", CultureInfo.InvariantCulture);
}
