namespace ExperimentCluster.Tuning;

/// <summary>One trial of a sweep as the strategies and rules see it. <see cref="Number"/> is 0-based in suggestion order
/// (the next suggestion is trial <c>History.Count</c>). <see cref="Values"/> holds the epochs the stopping rule records
/// (<see cref="IStoppingRule.RecordedEpochs"/>), in epoch order. <see cref="FinalValue"/> is the last reported value.</summary>
public sealed record Trial(
    int Number,
    IReadOnlyDictionary<string, string> Config,
    TrialState State,
    IReadOnlyList<RungValue> Values,
    double? FinalValue,
    int? DivergedAtEpoch);
