namespace ExperimentCluster.Tuning;

/// <summary>A bad search space, strategy or rule name, or setting. <see cref="Field"/> names what is wrong
/// (for example <c>search.space.learning_rate</c> or <c>asha.reduction_factor</c>) so that callers can prefix their own path.</summary>
public sealed class TuningException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;
}
