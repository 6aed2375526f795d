namespace ExperimentCluster.Tuning;

/// <summary>Never stops a trial and records nothing. Divergence still stops runs: the trainer's guard does that.</summary>
public sealed class NoStoppingRule : IStoppingRule
{
    public StopDecision Decide(StoppingContext context, int trialNumber, int epoch) =>
        StopDecision.Continue(null, "no early-stopping rule");

    public IReadOnlySet<int>? RecordedEpochs(int maxEpochs) => EpochSet.None;
}
