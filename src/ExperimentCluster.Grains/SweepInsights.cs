using ExperimentCluster.Contracts;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains;

/// <summary>Why a sweep's best won, as clients read it: the swept parameters as axes, their importance, the best-so-far
/// curve. Computed from the same run summaries as the answer, so the two never disagree.</summary>
internal static class SweepInsights
{
    public static SweepInsightView For(SearchSpace space, ImportanceResult importance, IReadOnlyList<RunSummary> runs) => new(
        space.Parameters.Select(p => new ParameterAxisView(p.Name, Scale(p.Domain), p.When is { } when ? $"{when.Choice} = {string.Join(" or ", when.Values.Select(AnswerValue.Text))}" : null)).ToList(),
        new ImportanceView(ImportanceResult.Method,
            importance.Parameters.Select(p => new ParameterShareView(p.Parameter, p.Share)).ToList(), importance.Reason),
        BestSoFar.Of(runs).Select(p => new BestSoFarView(p.Run, p.EpochsConsumed, p.FinalValLoss, p.BestFinalValLoss)).ToList());

    private static string Scale(Domain domain) => domain switch
    {
        LogUniformDomain or IntUniformDomain { Log: true } => "log",
        ValuesDomain => "values",
        _ => "linear",
    };
}
