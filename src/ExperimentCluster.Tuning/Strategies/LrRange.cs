namespace ExperimentCluster.Tuning;

/// <summary>The learning-rate bounds one range test set for one architecture: the rate the test suggested (NaN when the test
/// gave none) and the interval the lr-range strategy samples from. Derived from the range-test run's stored result, so a
/// restart reads the same bounds without measuring again.</summary>
public sealed record LrRange(double Suggested, double Lower, double Upper);
