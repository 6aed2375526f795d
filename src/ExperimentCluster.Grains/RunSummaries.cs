using ExperimentCluster.Contracts;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains;

/// <summary>A stored run as the tuning library's pure functions read it (the answer, the aggregation, warm starts).</summary>
public static class RunSummaries
{
    public static RunSummary Summary(this RunView run) =>
        new(run.Number, run.Config, run.Status.ToWord(), run.BestValLoss, run.FinalValLoss, run.Epochs, run.DivergedAtEpoch);
}
