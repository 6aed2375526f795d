using ExperimentCluster.Contracts;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Silo;

/// <summary>
/// Several sweeps side by side (`excl compare --json` and `GET /api/compare?ids=A,B`, which the page's compare view
/// draws): for each sweep its answer and best-so-far curve, and their per-value summaries on aligned rows. Built from the
/// sweeps' results with <see cref="BestSoFar"/> and <see cref="SweepComparison"/>, where the curve and the alignment
/// are computed.
/// </summary>
public sealed record SweepComparisonJson(IReadOnlyList<ComparedSweepJson> Sweeps, IReadOnlyList<AlignedValueJson> PerValue)
{
    /// <summary>The most sweeps one comparison takes: the page draws one colour per sweep.</summary>
    public const int MaxSweeps = 8;

    public static SweepComparisonJson From(IReadOnlyList<SweepResults> sweeps)
    {
        ArgumentNullException.ThrowIfNull(sweeps);
        var compared = sweeps.Select(results =>
        {
            var s = results.Sweep;
            var reusedBest = BestSoFar.Best((results.Reused ?? []).Select(Summary));
            var curve = BestSoFar.Steps(results.Leaderboard.Select(Summary), reusedBest);
            return new ComparedSweepJson(s.Id, s.Name, s.Status, s.Counts.Values.Sum(), s.EpochsReported, curve.Count > 0 ? curve[^1].Best : null,
                results.Answer, s.Reused, curve.Select(p => new[] { p.Epochs, p.Best }).ToList());
        }).ToList();
        var rows = SweepComparison.Align(sweeps.Select(r => r.PerValue).ToList(), v => v.Parameter, v => v.Value)
            .Select(row => new AlignedValueJson(row.Parameter, row.Value, row.Cells))
            .ToList();
        return new SweepComparisonJson(compared, rows);
    }

    private static RunSummary Summary(RunView r) =>
        new(r.Number, r.Config, r.Status.ToWord(), r.BestValLoss, r.FinalValLoss, r.Epochs, r.DivergedAtEpoch);
}

/// <summary>One sweep of a comparison. <see cref="Curve"/> is its best-so-far: [epochs consumed, best final validation loss] pairs.</summary>
public sealed record ComparedSweepJson(
    string Id,
    string Name,
    SweepStatus Status,
    int Runs,
    long Epochs,
    double? BestValLoss,
    string? Answer,
    int Reused,
    IReadOnlyList<double[]> Curve);

/// <summary>One (parameter, value) row: each compared sweep's summary of that value, in the order the sweeps were given (null where it has none).</summary>
public sealed record AlignedValueJson(string Parameter, string Value, IReadOnlyList<ValueSummaryView?> Sweeps);
