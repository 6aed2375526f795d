namespace ExperimentCluster.Tuning;

/// <summary>An early-stopping rule: a pure function of the recorded values and their report sequence numbers, so that the
/// decisions replayed from a stored history are the ones made live.</summary>
public interface IStoppingRule
{
    /// <summary>Called when trial <paramref name="trialNumber"/> reports <paramref name="epoch"/> (already appended to its
    /// Values when the epoch is recorded). Only values reported before this one (lower Sequence) are considered.</summary>
    StopDecision Decide(StoppingContext context, int trialNumber, int epoch);

    /// <summary>The epochs whose values this rule needs, so that the coordinator stores only those; null means every epoch.</summary>
    IReadOnlySet<int>? RecordedEpochs(int maxEpochs);
}
