namespace ExperimentCluster.Tuning;

/// <summary>A measurement run a strategy needs before it can suggest further: the kind of run (a trainer kind the silo
/// knows), the configuration to measure, and the kind's settings.</summary>
public sealed record MeasurementRequest(string Kind, IReadOnlyDictionary<string, string> Config, IReadOnlyDictionary<string, double> Settings);
